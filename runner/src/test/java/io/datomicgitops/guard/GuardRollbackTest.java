package io.datomicgitops.guard;

import io.datomicgitops.stack.RollbackTriggers;
import io.datomicgitops.stack.StackRequest;
import io.datomicgitops.stack.StackTags;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The rollback's stack request: the previous template, its defaults, this run's secrets, the previous commit's tag, no triggers. */
class GuardRollbackTest {
    private static final String PREVIOUS = """
            {"Parameters": {"InstanceType": {"Type": "String", "Default": "m5.large"},
                            "LicenseKey": {"Type": "String", "NoEcho": "true"}},
             "Resources": {"Group": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {}}}}
            """;

    @Test
    void thePreviousTemplateWithItsDefaultsThisRunsSecretsAndNoTriggers() {
        StackRequest deployed = StackRequest.builder("billing", "{}")
                .parameter("InstanceType", "m5.xlarge").secretParameter("LicenseKey", "secret-key").parameter("NewOnly", "x")
                .tags(Map.of(StackTags.TOOL, "datomic-gitops", StackTags.COMMIT, "new0000000"))
                .timeout(Duration.ofMinutes(7)).terminationProtection(true).build()
                .withRollbackTriggers(new RollbackTriggers(List.of("arn:aws:cloudwatch:us-east-1:1:alarm:a"), Duration.ofMinutes(2)));

        StackRequest back = GuardRollback.request(deployed, new GuardRollback.Previous(PREVIOUS, Optional.of("old1111111abc")));

        assertThat(back.templateBody()).isEqualTo(PREVIOUS);
        assertThat(back.parameters()).as("the defaults are the previous values; a secret is this run's").isEqualTo(Map.of("LicenseKey", "secret-key"));
        assertThat(back.noEchoParameters()).containsExactly("LicenseKey");
        assertThat(back.tags()).containsEntry(StackTags.COMMIT, "old1111111abc");
        assertThat(back.rollbackTriggers().none()).as("the alarm that is in ALARM would roll the rollback back").isTrue();
        assertThat(back.timeout()).isEqualTo(Duration.ofMinutes(7));
        assertThat(back.terminationProtection()).isTrue();
        assertThat(new GuardRollback.Previous(PREVIOUS, Optional.of("old1111111abc")).describe()).isEqualTo("cf.json of old1111111");
        assertThat(new GuardRollback.Previous(PREVIOUS, Optional.empty()).describe()).isEqualTo("the template the stack ran before");
    }

    @Test
    void theBakeIsPolledEveryTenthBetweenOneAndFifteenSeconds() {
        assertThat(AlarmWatch.interval(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(1));
        assertThat(AlarmWatch.interval(Duration.ofSeconds(90))).isEqualTo(Duration.ofSeconds(9));
        assertThat(AlarmWatch.interval(Duration.ofMinutes(30))).isEqualTo(Duration.ofSeconds(15));
        assertThat(GuardMarkdown.human(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(GuardMarkdown.human(Duration.ofMinutes(5))).isEqualTo("5m");
    }
}
