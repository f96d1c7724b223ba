package io.datomicgitops.ensure;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CfPlannerTest {

    @Test
    void anInstanceProfileArnNamesTheProfileLast() {
        assertThat(CfPlanner.profileName("arn:aws:iam::123456789012:instance-profile/ops/orders-transactor")).isEqualTo("orders-transactor");
        assertThat(CfPlanner.profileName("orders-transactor")).isEqualTo("orders-transactor");
    }

    @Test
    void optionsNeverShowTheEnginesEnvironmentValues() {
        EnsureOptions o = EnsureOptions.apply("orders").withDatomicEngine(Path.of("/opt/datomic"), Map.of("AWS_SECRET_ACCESS_KEY", "s3cr3t-value"));
        assertThat(o.toString()).contains("AWS_SECRET_ACCESS_KEY").doesNotContain("s3cr3t-value");
    }
}
