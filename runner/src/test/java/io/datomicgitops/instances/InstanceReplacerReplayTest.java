package io.datomicgitops.instances;

import io.datomicgitops.ExitCode;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.testing.replay.RecordingLog;
import io.datomicgitops.testing.replay.ReplayServer;
import io.datomicgitops.testing.replay.TestTime;
import io.datomicgitops.testing.replay.TimedLog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sequences the sandbox cannot produce (Pending before InService, Terminating before gone, the standby's heartbeat
 * metric, instance refresh progress, per-instance launch configurations), tested by replaying recorded AWS API
 * responses from a loopback HTTP server with the real SDK clients pointed at it. The clock moves only when the
 * replacer sleeps, so the downtime figure is exact.
 */
class InstanceReplacerReplayTest {
    static final String GROUP = "prod-transactor-LaunchGroup-1A2B3C4D5E6F";
    static final String OLD = "i-0aa11bb22cc33dd44";
    static final String NEW = "i-0ee55ff66aa77bb88";

    @Test
    void replayedSurgeWaitsForTheNewStandbysHeartbeatBeforeTerminatingTheOldTransactor() {
        TestTime time = TestTime.at("2026-11-29T14:00:00Z");
        RecordingLog log = new RecordingLog();
        try (ReplayServer aws = ReplayServer.start().load("surge-waits-for-heartbeat"); AwsClients clients = aws.clients()) {
            InstanceReplacer replacer = new InstanceReplacer(clients, "us-east-1", log, time, time, new HttpHealthProbe());

            ReplacementResult r = replacer.replace(ReplacementRequest.of(GROUP, Strategy.SURGE)
                    .withHeartbeat(new HeartbeatMetric("us-east-1", Optional.of("prod-datomic"))));

            assertThat(r.replaced()).containsExactly(OLD);
            assertThat(r.launched()).containsExactly(NEW);
            assertThat(r.zeroInServiceSeconds()).isZero();
            assertThat(r.capacityAfter()).isEqualTo(new Capacity(1, 1, 1));
            // the old transactor was terminated only after the heartbeat was seen, and with the capacity decremented
            assertThat(aws.actions()).containsSubsequence("SetDesiredCapacity", "GetMetricStatistics", "GetMetricStatistics",
                    "TerminateInstanceInAutoScalingGroup", "UpdateAutoScalingGroup", "ResumeProcesses");
            assertThat(aws.count("GetMetricStatistics")).isEqualTo(2);
            assertThat(aws.last("TerminateInstanceInAutoScalingGroup")).containsEntry("InstanceId", OLD)
                    .containsEntry("ShouldDecrementDesiredCapacity", "true");
            assertThat(aws.calls()).filteredOn(c -> c.action().equals("UpdateAutoScalingGroup"))
                    .extracting(c -> c.params().get("MaxSize")).containsExactly("2", "1");
            assertThat(aws.last("SetDesiredCapacity")).containsEntry("DesiredCapacity", "2").containsEntry("HonorCooldown", "false");
            assertThat(aws.last("SuspendProcesses")).containsEntry("ScalingProcesses.member.1", "AZRebalance");
            assertThat(log.text()).contains(NEW + ": waiting for HeartMonitorMsec (standby heartbeat)")
                    .contains(NEW + ": a standby reports HeartMonitorMsec");
            assertThat(r.readiness()).isEqualTo("group InService+Healthy + HeartMonitorMsec (when the new instance is the only standby)");
        }
    }

    @Test
    void replayedTerminateMeasuresTheSecondsWithoutAnInServiceInstance() {
        TestTime time = TestTime.at("2026-11-29T14:30:00Z");
        try (ReplayServer aws = ReplayServer.start().load("terminate-measures-downtime"); AwsClients clients = aws.clients()) {
            InstanceReplacer replacer = new InstanceReplacer(clients, "us-east-1", new RecordingLog(), time, time, new HttpHealthProbe());

            ReplacementResult r = replacer.replace(ReplacementRequest.of(GROUP, Strategy.TERMINATE));

            assertThat(r.replaced()).containsExactly(OLD);
            assertThat(r.launched()).containsExactly(NEW);
            assertThat(aws.last("TerminateInstanceInAutoScalingGroup")).containsEntry("ShouldDecrementDesiredCapacity", "false");
            // observed with none InService from the look right after the termination until the replacement was
            // InService: polls after 2 + 3 + 4.5 + 6.75 + 10 seconds
            assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofMillis(4500),
                    Duration.ofMillis(6750), Duration.ofSeconds(10));
            assertThat(r.zeroInServiceSeconds()).isEqualTo(26.25);
        }
    }

    @Test
    void replayedReplacementThatStaysPendingSaysWhatItWaitsForAndTheGroupAtLeastEvery30sUntilTheHealthTimeout() {
        TestTime time = TestTime.at("2026-11-29T14:30:00Z");
        TimedLog log = new TimedLog(time);
        try (ReplayServer aws = ReplayServer.start().load("terminate-replacement-stays-pending"); AwsClients clients = aws.clients()) {
            InstanceReplacer replacer = new InstanceReplacer(clients, "us-east-1", log, time, time, new HttpHealthProbe());

            assertThatThrownBy(() -> replacer.replace(ReplacementRequest.of(GROUP, Strategy.TERMINATE)
                    .withTimeouts(Duration.ofMinutes(20), Duration.ofMinutes(3))))
                    .isInstanceOfSatisfying(ReplacementFailedException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.TIMEOUT);
                        assertThat(e.getMessage()).contains("no replacement for " + OLD + " became ready within 180s");
                    });

            java.time.Instant terminated = log.matching(l -> l.contains(": terminate " + OLD)).get(0).at();
            List<TimedLog.Line> waiting = log.matching(l -> l.startsWith("group " + GROUP + ": waiting for a new instance to be ready; "));
            assertThat(waiting.get(0)).isEqualTo(new TimedLog.Line(terminated, "group " + GROUP
                    + ": waiting for a new instance to be ready; 1 instance: " + OLD + " Terminating:Wait/Healthy (0s so far, 3m left)"));
            // the replacement's launch is said when it happens, and the unchanged state again at least every 30 s
            assertThat(waiting).extracting(TimedLog.Line::text).anySatisfy(l -> assertThat(l)
                    .startsWith("group " + GROUP + ": waiting for a new instance to be ready; 1 instance: " + NEW + " Pending/Healthy ("));
            assertThat(log.longestSilence(terminated, time.instant())).isLessThanOrEqualTo(Duration.ofSeconds(30));
            assertThat(waiting).hasSizeBetween(6, 9);
        }
    }

    @Test
    void replayedInstanceRefreshIsFollowedToSuccessWithTheMaxSizeRaisedAndRestored() {
        TestTime time = TestTime.at("2026-11-29T15:00:00Z");
        RecordingLog log = new RecordingLog();
        try (ReplayServer aws = ReplayServer.start().load("instance-refresh-succeeds"); AwsClients clients = aws.clients()) {
            InstanceReplacer replacer = new InstanceReplacer(clients, "us-east-1", log, time, time, new HttpHealthProbe());

            ReplacementResult r = replacer.replace(ReplacementRequest.of(GROUP, Strategy.INSTANCE_REFRESH));

            assertThat(r.outcome()).isEqualTo(ReplacementOutcome.REPLACED);
            assertThat(r.replaced()).containsExactly(OLD);
            assertThat(r.launched()).containsExactly(NEW);
            assertThat(r.capacityAfter()).isEqualTo(new Capacity(1, 1, 1));
            assertThat(r.zeroInServiceSeconds()).isZero();
            assertThat(aws.last("StartInstanceRefresh")).containsEntry("AutoScalingGroupName", GROUP)
                    .containsEntry("Strategy", "Rolling")
                    .containsEntry("Preferences.MinHealthyPercentage", "100")
                    .containsEntry("Preferences.MaxHealthyPercentage", "200")
                    .containsEntry("Preferences.SkipMatching", "true");
            assertThat(aws.calls()).filteredOn(c -> c.action().equals("UpdateAutoScalingGroup"))
                    .extracting(c -> c.params().get("MaxSize")).containsExactly("2", "1");
            assertThat(r.timeline()).extracting(ReplacementResult.TimelineEntry::event).containsSubsequence(
                    "instance refresh 08b91cf7-8fa6-48af-b6a6-d227f40f1b9b started (min healthy 100%, max healthy 200%, skipping matching instances)",
                    "instance refresh Pending 0% (1 to update)",
                    "instance refresh InProgress 50%: Waiting for instances to warm up before continuing. For example: i-0ee55ff66aa77bb88 is warming up. (1 to update)",
                    "instance refresh Successful 100% (0 to update)");
        }
    }

    @Test
    void replayedInstanceRefreshThatFailsEndsNonZeroWithTheReasonAndTheMaxSizeRestored() {
        TestTime time = TestTime.at("2026-11-29T15:30:00Z");
        try (ReplayServer aws = ReplayServer.start().load("instance-refresh-fails"); AwsClients clients = aws.clients()) {
            InstanceReplacer replacer = new InstanceReplacer(clients, "us-east-1", new RecordingLog(), time, time, new HttpHealthProbe());

            assertThatThrownBy(() -> replacer.replace(ReplacementRequest.of(GROUP, Strategy.INSTANCE_REFRESH)))
                    .isInstanceOfSatisfying(ReplacementFailedException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.FAILED);
                        assertThat(e.getMessage()).contains("the instance refresh ended Failed: Instance refresh failed: the new instance")
                                .contains("old still running [" + OLD + "]");
                        assertThat(e.result().capacityAfter()).isEqualTo(new Capacity(1, 1, 1));
                    });
            assertThat(aws.calls()).filteredOn(c -> c.action().equals("UpdateAutoScalingGroup"))
                    .extracting(c -> c.params().get("MaxSize")).containsExactly("2", "1");
            assertThat(aws.count("CancelInstanceRefresh")).isZero();
        }
    }

    @Test
    void replayedLaunchConfigurationGroupCountsOnlyInstancesFromAnOlderConfigurationAsOld() {
        try (ReplayServer aws = ReplayServer.start().load("launch-configuration-group"); AwsClients clients = aws.clients()) {
            InstanceReplacer replacer = new InstanceReplacer(clients, "us-east-1", new RecordingLog(), TestTime.at("2026-11-29T16:00:00Z"),
                    d -> { }, new HttpHealthProbe());

            ReplacementPlan plan = replacer.plan(GROUP, false);

            assertThat(plan.launchSource()).isEqualTo("launch configuration prod-transactor-LaunchConfig-NEW222");
            assertThat(plan.toReplace()).containsExactly("i-0a0a0a0a0a0a0a0a1");
            assertThat(plan.instances()).extracting(ReplacementPlan.InstanceState::reason).containsExactly(
                    "launched from launch configuration prod-transactor-LaunchConfig-OLD111; the group uses launch configuration prod-transactor-LaunchConfig-NEW222",
                    "current");
            assertThat(plan.instances()).extracting(ReplacementPlan.InstanceState::privateIp).containsExactly("10.20.1.17", "10.20.2.23");
            // with --all both go, the newest first (taken for the standby)
            assertThat(replacer.plan(GROUP, true).toReplace()).containsExactly("i-0b0b0b0b0b0b0b0b2", "i-0a0a0a0a0a0a0a0a1");
        }
    }
}
