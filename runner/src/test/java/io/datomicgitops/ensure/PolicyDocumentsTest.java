package io.datomicgitops.ensure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyDocumentsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void transactorPoliciesFollowDatomicsNamesAndGrants() throws Exception {
        Map<String, String> p = PolicyDocuments.transactor("123456789012", "orders", "orders-logs", true, List.of());
        assertThat(p).containsOnlyKeys("orders-transactor", "orders-logs-transactor-logs", "transactor-metrics");
        JsonNode table = JSON.readTree(p.get("orders-transactor")).path("Statement").get(0);
        assertThat(table.path("Action").get(0).asText()).isEqualTo("dynamodb:*");
        assertThat(table.path("Resource").get(0).asText()).isEqualTo("arn:aws:dynamodb:*:123456789012:table/orders");
        JsonNode logs = JSON.readTree(p.get("orders-logs-transactor-logs")).path("Statement").get(0);
        assertThat(logs.path("Resource").toString()).contains("arn:aws:s3:::orders-logs\"").contains("arn:aws:s3:::orders-logs/*");
        JsonNode metrics = JSON.readTree(p.get("transactor-metrics")).path("Statement").get(0);
        assertThat(metrics.path("Condition").path("Bool").path("aws:SecureTransport").asText()).isEqualTo("true");
        assertThat(metrics.path("Action").toString()).contains("cloudwatch:PutMetricData").contains("cloudwatch:PutMetricDataBatch");

        assertThat(PolicyDocuments.transactor("1", "t", null, false, List.of())).containsOnlyKeys("t-transactor");
        JsonNode peer = JSON.readTree(PolicyDocuments.peer("1", "t").get("t-peer")).path("Statement").get(0);
        assertThat(peer.path("Action").toString()).contains("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Scan", "dynamodb:Query")
                .doesNotContain("PutItem");
    }

    @Test
    void theTransactorMayReadExactlyTheSecretsItFetchesAtBoot() throws Exception {
        String arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/datomic-license-AbCdEf";
        Map<String, String> p = PolicyDocuments.transactor("123456789012", "orders", null, false, List.of(arn));
        assertThat(p).containsOnlyKeys("orders-transactor", PolicyDocuments.SECRETS_POLICY);
        JsonNode secrets = JSON.readTree(p.get(PolicyDocuments.SECRETS_POLICY)).path("Statement").get(0);
        assertThat(secrets.path("Action").toString()).isEqualTo("[\"secretsmanager:GetSecretValue\"]");
        assertThat(secrets.path("Resource").toString()).isEqualTo("[\"" + arn + "\"]");
        assertThat(PolicyDocuments.managedName(PolicyDocuments.SECRETS_POLICY, true)).as("reported when no longer asked for").isTrue();
    }

    @Test
    void sameMeaningIgnoresSpellingButNotContent() {
        String ours = PolicyDocuments.peer("1", "t").get("t-peer");
        String spelledOtherwise = "{ \"Statement\": {\"Resource\": \"arn:aws:dynamodb:*:1:table/t\", \"Effect\": \"Allow\","
                + " \"Action\": [\"dynamodb:GetItem\", \"dynamodb:BatchGetItem\", \"dynamodb:Scan\", \"dynamodb:Query\"]},"
                + " \"Version\": \"2012-10-17\" }";
        assertThat(PolicyDocuments.same(ours, spelledOtherwise)).isTrue();
        assertThat(PolicyDocuments.same(ours, URLEncoder.encode(spelledOtherwise, StandardCharsets.UTF_8))).as("IAM answers URL-encoded").isTrue();
        assertThat(PolicyDocuments.same(ours, spelledOtherwise.replace("table/t", "table/u"))).isFalse();
    }

    @Test
    void trustPolicyIsCheckedAndCompletedNotReplaced() {
        assertThat(PolicyDocuments.trustsEc2(PolicyDocuments.ec2Trust())).isTrue();
        String lambdaOnly = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
        assertThat(PolicyDocuments.trustsEc2(lambdaOnly)).isFalse();
        String completed = PolicyDocuments.withEc2Trust(lambdaOnly);
        assertThat(PolicyDocuments.trustsEc2(completed)).isTrue();
        assertThat(completed).contains("lambda.amazonaws.com");
    }

    @Test
    void managedNamesAreDatomicsScheme() {
        assertThat(PolicyDocuments.managedName("old-table-transactor", true)).isTrue();
        assertThat(PolicyDocuments.managedName("transactor-metrics", true)).isTrue();
        assertThat(PolicyDocuments.managedName("hand-made", true)).isFalse();
        assertThat(PolicyDocuments.managedName("old-table-peer", false)).isTrue();
        assertThat(PolicyDocuments.managedName("old-table-transactor", false)).isFalse();
    }
}
