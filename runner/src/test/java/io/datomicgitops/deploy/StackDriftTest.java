package io.datomicgitops.deploy;

import io.datomicgitops.ensure.EnsureResult;
import io.datomicgitops.ensure.ResourceChange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** How a stack's drift reads its template and its ensure plans: each difference named, git's value against AWS's. */
class StackDriftTest {
    static List<String> template(String git, String aws) {
        List<StackDrift.Difference> out = new ArrayList<>();
        StackDrift.template("prod", Optional.ofNullable(git), aws, out);
        return out.stream().map(Object::toString).toList();
    }

    @Test
    void theSameTemplateSpelledDifferentlyIsNoDrift() {
        assertThat(template("{\"Resources\":{\"A\":{\"Type\":\"X\"}},\"Description\":\"d\"}",
                "{ \"Description\": \"d\",\n  \"Resources\": { \"A\": { \"Type\": \"X\" } } }")).isEmpty();
    }

    @Test
    void eachResourceAndSectionThatDiffersIsNamed() {
        assertThat(template("{\"Resources\":{\"A\":{\"Type\":\"X\"},\"B\":{\"Type\":\"Y\"}},\"Outputs\":{}}",
                "{\"Resources\":{\"A\":{\"Type\":\"X2\"},\"C\":{\"Type\":\"Z\"}},\"Outputs\":{},\"Description\":\"by hand\"}"))
                .containsExactly(
                        "template prod Description: git absent, AWS present",
                        "template prod Resources.A: git as in cf.json, AWS different",
                        "template prod Resources.B: git as in cf.json, AWS absent",
                        "template prod Resources.C: git absent, AWS present");
        assertThat(template(null, "{}")).containsExactly("template prod cf.json: git absent, AWS deployed");
    }

    @Test
    void whatTheEnsurePlanWouldChangeIsWhereAwsDiffersAndWhatItKeepsIsAwsOwn() {
        EnsureResult plan = new EnsureResult("ensure-transactor", "transactor.properties", "native", true, List.of(
                new ResourceChange(ResourceChange.Kind.DYNAMODB_TABLE, "prod", ResourceChange.Action.UNCHANGED, "aws-dynamodb-table", List.of(), List.of(), null),
                new ResourceChange(ResourceChange.Kind.IAM_ROLE, "datomic-aws-peer", ResourceChange.Action.CREATE, "aws-peer-role", List.of(), List.of("Iam:CreateRole"), null),
                new ResourceChange(ResourceChange.Kind.S3_BUCKET, "logs", ResourceChange.Action.UPDATE, "aws-s3-log-bucket-id",
                        List.of(new ResourceChange.Difference("block-public-access", "none", "all four settings on")), List.of("S3:PutPublicAccessBlock"), null),
                new ResourceChange(ResourceChange.Kind.INGRESS_RULE, "sg tcp/4334 from 0.0.0.0/0", ResourceChange.Action.MANUAL_RULE_KEPT, null, List.of(), List.of(), null)),
                Map.of("aws-transactor-role", "datomic-aws-transactor"), List.of(), List.of());
        List<StackDrift.Difference> out = new ArrayList<>();
        StackDrift.ensure(plan, "transactor.properties", out);
        assertThat(out).extracting(Object::toString).containsExactly(
                "iam-role datomic-aws-peer exists: git yes (transactor.properties), AWS no",
                "s3-bucket logs block-public-access: git all four settings on, AWS none",
                "ingress-rule sg tcp/4334 from 0.0.0.0/0 exists: git no (transactor.properties does not ask for it), AWS yes",
                "key transactor.properties:aws-transactor-role value: git absent, AWS datomic-aws-transactor");
        StackDrift drift = new StackDrift("prod", "prod-tx", true, out);
        assertThat(drift.drifted()).isTrue();
        assertThat(drift.summary()).isEqualTo("prod (prod-tx): 4 difference(s) between AWS and git in iam-role datomic-aws-peer, "
                + "ingress-rule sg tcp/4334 from 0.0.0.0/0, key transactor.properties:aws-transactor-role, s3-bucket logs (git also holds changes not deployed yet)");
        assertThat(new StackDrift("prod", "prod-tx", false, List.of()).summary()).isEqualTo("prod (prod-tx): AWS matches git");
    }
}
