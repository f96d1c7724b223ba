package io.datomicgitops.stack;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.RollbackTrigger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CreateChangeSet request as sent. The sandbox keeps no rollback configuration, so what CloudFormation is asked
 * for is checked here: the guard's alarms as rollback triggers with the monitoring time, and none when nothing guards.
 */
class ChangeSetsTest {
    private static CreateChangeSetRequest request(RollbackTriggers triggers) {
        return ChangeSets.request("billing", "datomic-gitops-1", ChangeSetType.UPDATE, ChangeSets.TemplateSource.inline("{}"),
                Map.of(), Set.of(), Map.of(), "d", triggers);
    }

    @Test
    void theGuardsAlarmsAreRollbackTriggersWithTheMonitoringTime() {
        CreateChangeSetRequest r = request(new RollbackTriggers(List.of("arn:aws:cloudwatch:us-east-1:1:alarm:a",
                "arn:aws:cloudwatch:us-east-1:1:alarm:b"), Duration.ofMinutes(10)));
        assertThat(r.rollbackConfiguration().monitoringTimeInMinutes()).isEqualTo(10);
        assertThat(r.rollbackConfiguration().rollbackTriggers()).extracting(RollbackTrigger::arn, RollbackTrigger::type).containsExactly(
                org.assertj.core.groups.Tuple.tuple("arn:aws:cloudwatch:us-east-1:1:alarm:a", "AWS::CloudWatch::Alarm"),
                org.assertj.core.groups.Tuple.tuple("arn:aws:cloudwatch:us-east-1:1:alarm:b", "AWS::CloudWatch::Alarm"));
    }

    @Test
    void noGuardNoRollbackConfiguration() {
        assertThat(request(RollbackTriggers.NONE).rollbackConfiguration()).isNull();
    }
}
