package io.datomicgitops.ensure;

import io.datomicgitops.report.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EnsureResultTest {

    @Test
    void serialisesWithLabelsSummaryAndChangedFlag() {
        EnsureResult r = new EnsureResult("ensure-transactor", "tx.properties", "native", true, List.of(
                ResourceChange.of(ResourceChange.Kind.IAM_ROLE, "datomic-aws-peer", ResourceChange.Action.CREATE, "aws-peer-role",
                        List.of("Iam:CreateRole"), null),
                ResourceChange.of(ResourceChange.Kind.INGRESS_RULE, "sg tcp/22 from 0.0.0.0/0", ResourceChange.Action.MANUAL_RULE_KEPT, null,
                        List.of(), "kept")), Map.of("aws-peer-role", "datomic-aws-peer"), List.of(), List.of());
        String json = Json.write(r);
        assertThat(json).contains("\"kind\": \"iam-role\"").contains("\"action\": \"create\"")
                .contains("\"action\": \"manual-rule-kept\"").contains("\"changed\": true")
                .contains("\"summary\": \"1 to create, 0 to update, 0 unchanged, 1 kept as found, 1 key to write\"")
                .contains("\"calls\": [\n");
        assertThat(r.changed()).isTrue();

        EnsureResult nothing = new EnsureResult("ensure-cf", "cf", "native", false, List.of(
                ResourceChange.of(ResourceChange.Kind.SECURITY_GROUP, "sg", ResourceChange.Action.UNCHANGED, null, List.of(), null)),
                Map.of(), List.of(), List.of());
        assertThat(nothing.changed()).isFalse();
        assertThat(nothing.summary()).isEqualTo("0 created, 0 updated, 1 unchanged, 0 keys written");
    }
}
