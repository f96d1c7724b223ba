package io.datomicgitops.findings;

import io.datomicgitops.config.PropertiesFile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class AcknowledgementsTest {

    @Test
    void anAcknowledgedWarningIsShownAndMarked() {
        StackFixture s = StackFixture.clean().cf("aws-instance-type", "aws-instance-type=m5.large");
        s.add(s.deploy, "acknowledge=instance-type-not-in-datomic-map");
        List<Finding> findings = s.check();
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.acknowledged()).isTrue();
            assertThat(f.toString()).startsWith("warning (acknowledged) instance-type-not-in-datomic-map: cf.properties:1: ");
        });
        assertThat(Findings.summary(findings)).isEqualTo("0 errors, 1 warning, 0 info (1 acknowledged)");
    }

    @Test
    void anErrorCannotBeAcknowledgedAndSayingSoIsAFinding() {
        StackFixture s = StackFixture.clean().cf("aws-instance-type", "aws-instance-type=m5.huge");
        s.add(s.deploy, "acknowledge=unknown-instance-type, plain-text-secret");
        assertThat(s.lines()).containsExactly(
                s.lines().get(0),
                "warning acknowledged-error: deploy.properties:3: acknowledge names unknown-instance-type, which is an error: "
                        + "errors cannot be acknowledged, they stop the deployment until fixed (fix it, then remove "
                        + "unknown-instance-type from acknowledge)");
        assertThat(s.check().get(0)).satisfies(f -> {
            assertThat(f.code()).isEqualTo("unknown-instance-type");
            assertThat(f.acknowledged()).isFalse();
        });
    }

    @Test
    void anUnknownCodeIsNamedWithTheClosestOne() {
        StackFixture s = StackFixture.clean();
        s.add(s.deploy, "acknowledge=plain-text-secrets,whatever");
        assertThat(s.lines()).containsExactly(
                "warning unknown-acknowledgement: deploy.properties:3: acknowledge names plain-text-secrets, which is no "
                        + "finding code: did you mean plain-text-secret? the codes are listed in docs/FINDINGS.md",
                "warning unknown-acknowledgement: deploy.properties:3: acknowledge names whatever, which is no finding code: "
                        + "the codes are listed in docs/FINDINGS.md");
    }

    @Test
    void applyingTwiceGivesTheSameListAndOtherCodesCanBeAcknowledged() {
        Optional<PropertiesFile> deploy = Optional.of(PropertiesFile.parse("deploy.properties",
                "stack-name=s\nacknowledge=template-drift,empty-secret\n"));
        List<Finding> plan = List.of(Finding.warning("template-drift", "the stack's template differs", "stack s"),
                Finding.error("empty-secret", "x is empty", "transactor.properties:4"));
        List<Finding> once = Acknowledgements.apply(plan, deploy);
        assertThat(once).extracting(Finding::toString).containsExactly(
                "warning (acknowledged) template-drift: stack s: the stack's template differs",
                "error empty-secret: transactor.properties:4: x is empty",
                "warning acknowledged-error: deploy.properties:2: acknowledge names empty-secret, which is an error: errors "
                        + "cannot be acknowledged, they stop the deployment until fixed (fix it, then remove empty-secret from acknowledge)");
        assertThat(Acknowledgements.apply(once, deploy)).isEqualTo(once);
        assertThat(Acknowledgements.apply(plan, Optional.empty())).isEqualTo(plan);
    }

    @Test
    void theKeyIsKnownToTheDeploySchema() {
        StackFixture s = StackFixture.clean();
        s.add(s.deploy, "acknowledge=");
        assertThat(s.lines()).isEmpty();
    }
}
