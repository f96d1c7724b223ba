package io.datomicgitops.guard;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.config.Schema;
import io.datomicgitops.config.Validator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The guard's keys in deploy.properties: defaults, names and ARNs, the standard alarms' needs, CloudFormation's limits. */
class GuardSettingsTest {
    private static final String TX = "protocol=ddb\naws-cloudwatch-region=us-east-1\naws-cloudwatch-dimension-value=billing\n";

    private static GuardSettings read(String deploy, String tx) {
        PropertiesFile d = PropertiesFile.parse("deploy.properties", "stack-name=billing-transactor\n" + deploy);
        Validator.requireValid(d, Schema.DEPLOY);
        return GuardSettings.from(d, PropertiesFile.parse("transactor.properties", tx), "us-east-1");
    }

    @Test
    void noGuardKeysMeansNoGuard() {
        GuardSettings s = read("", TX);
        assertThat(s.enabled()).isFalse();
        assertThat(s.bake()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.monitoring()).isZero();
    }

    @Test
    void alarmsByNameOrArnWithTheStandardOnesAfterThem() {
        GuardSettings s = read("guard-alarms=billing-errors, arn:aws:cloudwatch:us-east-1:123456789012:alarm:billing-latency\n"
                + "guard-standard-alarms=true\nguard-bake=90s\nguard-monitoring=10m\n", TX);
        assertThat(s.enabled()).isTrue();
        assertThat(s.bake()).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.monitoring()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.dimension()).contains("billing");
        assertThat(s.alarmNames("billing-transactor")).containsExactly("billing-errors", "billing-latency",
                "billing-transactor-datomic-alarm", "billing-transactor-datomic-heartbeat-missing");
    }

    @Test
    void theStandardAlarmsNeedTheTransactorsMetrics() {
        assertThatThrownBy(() -> read("guard-standard-alarms=true\n", "protocol=ddb\naws-cloudwatch-region=us-east-1\n"))
                .isInstanceOf(ToolException.class)
                .satisfies(e -> assertThat(((ToolException) e).exitCode()).isEqualTo(ExitCode.INVALID_CONFIG))
                .hasMessage("deploy.properties:2: guard-standard-alarms=true watches the transactor's CloudWatch metrics, which it publishes "
                        + "only with aws-cloudwatch-region and aws-cloudwatch-dimension-value set (set both in transactor.properties, "
                        + "or name your own alarms in guard-alarms)");
        assertThatThrownBy(() -> read("guard-standard-alarms=true\n", TX.replace("aws-cloudwatch-region=us-east-1", "aws-cloudwatch-region=eu-west-1")))
                .hasMessageStartingWith("transactor.properties:2: the transactor publishes its metrics in eu-west-1 but the stack runs in us-east-1");
    }

    @Test
    void atMostFiveAlarmsTheStandardOnesCounted() {
        assertThat(read("guard-alarms=a,b,c,d,e\n", TX).alarms()).hasSize(5);
        assertThatThrownBy(() -> read("guard-alarms=a,b,c,d\nguard-standard-alarms=true\n", TX))
                .hasMessage("deploy.properties:2: 6 alarms guard the deployment (2 of them standard), but CloudFormation takes at most 5 "
                        + "rollback triggers (name at most 3 alarms in guard-alarms)");
    }

    @Test
    void theMonitoringTimeIsWholeMinutesUpTo180() {
        assertThat(read("guard-alarms=a\nguard-monitoring=180m\n", TX).monitoring()).isEqualTo(Duration.ofHours(3));
        assertThat(read("guard-alarms=a\nguard-monitoring=1h\n", TX).monitoring()).isEqualTo(Duration.ofHours(1));
        for (String bad : List.of("90s", "181m", "4h", "soon")) {
            assertThatThrownBy(() -> read("guard-alarms=a\nguard-monitoring=" + bad + "\n", TX))
                    .hasMessage("deploy.properties:3: 'guard-monitoring' = '" + bad + "' is not valid: expected whole minutes from 0m to 180m, such as 0m or 10m (fix the value and run again)");
        }
        assertThatThrownBy(() -> read("guard-bake=a while\n", TX)).hasMessageContaining("'guard-bake' = 'a while' is not valid");
        assertThatThrownBy(() -> read("guard-standard-alarms=yes\n", TX)).hasMessageContaining("expected true or false");
    }

    @Test
    void anArnIsNamedByItsLastPart() {
        assertThat(GuardSettings.nameOf("arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a:b")).isEqualTo("a:b");
        assertThat(GuardSettings.nameOf("plain-name")).isEqualTo("plain-name");
        assertThat(GuardSettings.NONE.dimension()).isEqualTo(Optional.empty());
    }
}
