package io.datomicgitops.guard;

import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.report.Log;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import io.datomicgitops.testing.replay.TestTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The bake's watch on the injected clock and sleeper: polls through the bake, stops at the first alarm in ALARM. */
@ExtendWith(SandboxExtension.class)
class AlarmWatchIT {

    private static void alarm(CloudWatchClient cw, String name) {
        cw.putMetricAlarm(r -> r.alarmName(name).namespace("Datomic").metricName("Alarm").statistic("Maximum").period(60)
                .evaluationPeriods(1).threshold(0.0).comparisonOperator("GreaterThanThreshold"));
        cw.setAlarmState(r -> r.alarmName(name).stateValue(StateValue.OK).stateReason("fine"));
    }

    @Test
    void anAlarmThatStaysOkIsPolledEveryTenthOfTheBakeToItsEnd(Sandbox sandbox) {
        sandbox.reset();
        try (AwsClients aws = sandbox.clients()) {
            CloudWatchClient cw = aws.cloudWatch("us-east-1");
            alarm(cw, "calm");
            TestTime time = TestTime.at("2026-01-01T00:00:00Z");
            Optional<AlarmStates.State> found = new AlarmWatch(cw, time, time, Log.NONE).watch(List.of("calm"), Duration.ofMinutes(1));
            assertThat(found).isEmpty();
            assertThat(time.sleeps()).hasSize(10).containsOnly(Duration.ofSeconds(6));
        }
    }

    @Test
    void theFirstAlarmInAlarmEndsTheWatchWithItsReason(Sandbox sandbox) {
        sandbox.reset();
        try (AwsClients aws = sandbox.clients()) {
            CloudWatchClient cw = aws.cloudWatch("us-east-1");
            alarm(cw, "calm");
            alarm(cw, "heartbeat");
            TestTime time = TestTime.at("2026-01-01T00:00:00Z");
            // CloudWatch's part, on the third poll's wait: the heartbeat goes missing
            io.datomicgitops.wait.Sleeper sleeper = d -> {
                time.sleep(d);
                if (time.sleeps().size() == 3) {
                    cw.setAlarmState(r -> r.alarmName("heartbeat").stateValue(StateValue.ALARM).stateReason("no datapoints for 3 periods"));
                }
            };
            Optional<AlarmStates.State> found = new AlarmWatch(cw, time, sleeper, Log.NONE).watch(List.of("calm", "heartbeat"), Duration.ofMinutes(5));
            assertThat(found).get().extracting(AlarmStates.State::name, AlarmStates.State::reason)
                    .containsExactly("heartbeat", "no datapoints for 3 periods");
            assertThat(time.sleeps()).as("found at the poll after the change, long before the bake's end").hasSize(3);
        }
    }

    @Test
    void anAlarmAlreadyInAlarmWhenTheBakeStartsCountsOnlyIfItIsStillInAlarmAtItsEnd(Sandbox sandbox) {
        sandbox.reset();
        try (AwsClients aws = sandbox.clients()) {
            CloudWatchClient cw = aws.cloudWatch("us-east-1");
            alarm(cw, "heartbeat");
            cw.setAlarmState(r -> r.alarmName("heartbeat").stateValue(StateValue.ALARM).stateReason("no transactor during the replacement"));
            // the bake starts after the alarm went off
            TestTime stays = TestTime.at("2099-01-01T00:00:00Z");
            Optional<AlarmStates.State> found = new AlarmWatch(cw, stays, stays, Log.NONE).watch(List.of("heartbeat"), Duration.ofMinutes(1));
            assertThat(found).as("still in ALARM at the end of the bake").get().extracting(AlarmStates.State::reason)
                    .isEqualTo("no transactor during the replacement");
            assertThat(stays.sleeps()).as("watched to the end").hasSize(10);

            TestTime recovers = TestTime.at("2099-01-01T00:00:00Z");
            io.datomicgitops.wait.Sleeper sleeper = d -> {
                recovers.sleep(d);
                if (recovers.sleeps().size() == 2) cw.setAlarmState(r -> r.alarmName("heartbeat").stateValue(StateValue.OK).stateReason("back"));
            };
            assertThat(new AlarmWatch(cw, recovers, sleeper, Log.NONE).watch(List.of("heartbeat"), Duration.ofMinutes(1)))
                    .as("the new transactor's heartbeat brought it back to OK").isEmpty();
        }
    }
}
