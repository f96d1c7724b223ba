package io.datomicgitops.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.config.DeploySettings;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.report.Json;
import io.datomicgitops.testing.ConfigRepoFixture;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shape of the shipped policy: no wildcard action, every grant on "*" either read-only or bounded by a condition,
 * and the resource patterns matching the names the runner really uses. (Whether the actions are enough and needed
 * is proved against the sandbox's IAM enforcement in {@link LeastPrivilegeIT}; the sandbox does not evaluate
 * resources other than S3's, so the names are checked here.)
 */
class IamPolicyTest {
    private static final IamPolicy POLICY = IamPolicy.load();
    private static final Set<String> READ_ONLY = Set.of("Describe", "List", "Get");

    @Test
    void everyStatementAllowsNamedActionsOnNamedResources() {
        JsonNode doc = POLICY.document();
        assertThat(doc.path("Version").asText()).isEqualTo("2012-10-17");
        Set<String> sids = new HashSet<>();
        for (JsonNode s : doc.path("Statement")) {
            assertThat(s.path("Sid").asText()).as("every statement is named").matches("[A-Za-z0-9]+");
            assertThat(sids.add(s.path("Sid").asText())).as("unique Sid %s", s.path("Sid")).isTrue();
            assertThat(s.path("Effect").asText()).isEqualTo("Allow");
            assertThat(s.has("NotAction") || s.has("NotResource")).as("no NotAction / NotResource").isFalse();
        }
        for (IamPolicy.Statement s : POLICY.statements()) {
            assertThat(s.actions()).as(s.sid()).isNotEmpty();
            assertThat(s.resources()).as(s.sid()).isNotEmpty();
            for (String action : s.actions()) {
                assertThat(action).as("%s: an exact action, no wildcard", s.sid()).matches("[a-z0-9-]+:[A-Z][A-Za-z0-9]+");
            }
        }
    }

    @Test
    void aGrantOnEveryResourceIsReadOnlyOrBoundedByACondition() {
        for (IamPolicy.Statement s : POLICY.statements()) {
            if (!s.resources().contains("*")) continue;
            if (s.condition() != null) continue;
            assertThat(s.actions()).as("%s grants on * without a condition: only reads AWS cannot scope", s.sid())
                    .allSatisfy(a -> assertThat(READ_ONLY.stream().anyMatch(p -> a.substring(a.indexOf(':') + 1).startsWith(p))).as(a).isTrue());
        }
    }

    @Test
    void theTransactorRoleIsPassedToEc2Only() {
        IamPolicy.Statement pass = POLICY.statement("PassTransactorRoleToEc2");
        assertThat(pass.actions()).containsExactly("iam:PassRole");
        assertThat(pass.resources()).containsExactly("arn:aws:iam::*:role/datomic-aws-*");
        assertThat(pass.condition().path("StringEquals").path("iam:PassedToService").asText()).isEqualTo("ec2.amazonaws.com");
        assertThat(POLICY.statements()).filteredOn(s -> s.actions().contains("iam:PassRole")).hasSize(1);
    }

    @Test
    void theResourcePatternsMatchTheNamesTheRunnerUses() throws Exception {
        Map<String, String> example = ConfigRepoFixture.exampleFiles();
        PropertiesFile deploy = PropertiesFile.parse("deploy.properties", example.get("stacks/demo/deploy.properties"));
        PropertiesFile tx = PropertiesFile.parse("transactor.properties", example.get("stacks/demo/transactor.properties"));
        String stack = deploy.get("stack-name").orElseThrow();
        String table = tx.get("aws-dynamodb-table").orElseThrow();
        String lockTable = DeploySettings.from(deploy).lockTable();

        assertGranted("cloudformation:CreateChangeSet", "arn:aws:cloudformation:us-east-1:123456789012:stack/" + stack + "/c2e0f3a0-cd1c-11f0-a1b2-0e1f2a3b4c5d");
        assertGranted("cloudformation:DescribeChangeSet", "arn:aws:cloudformation:us-east-1:123456789012:changeSet/datomic-gitops-20260101T000000Z/0a1b2c3d");
        assertGranted("dynamodb:CreateTable", "arn:aws:dynamodb:us-east-1:123456789012:table/" + table);
        assertGranted("dynamodb:CreateTable", "arn:aws:dynamodb:us-east-1:123456789012:table/datomic"); // Datomic's default
        assertGranted("dynamodb:CreateTable", "arn:aws:dynamodb:us-east-1:123456789012:table/" + lockTable);
        assertGranted("dynamodb:PutItem", "arn:aws:dynamodb:us-east-1:123456789012:table/" + lockTable);
        assertNotGranted("dynamodb:PutItem", "arn:aws:dynamodb:us-east-1:123456789012:table/" + table); // the runner never writes Datomic's data
        for (String role : List.of("datomic-aws-transactor", "datomic-aws-peer", "datomic-aws-transactor-2")) {
            assertGranted("iam:CreateRole", "arn:aws:iam::123456789012:role/" + role);
            assertGranted("iam:CreateInstanceProfile", "arn:aws:iam::123456789012:instance-profile/" + role);
        }
        assertNotGranted("iam:CreateRole", "arn:aws:iam::123456789012:role/Administrator");
        assertNotGranted("iam:PutRolePolicy", "arn:aws:iam::123456789012:role/jenkins-agent");
        assertGranted("cloudwatch:PutMetricAlarm", "arn:aws:cloudwatch:us-east-1:123456789012:alarm:" + stack + "-datomic-heartbeat-missing");
        assertGranted("cloudwatch:PutMetricAlarm", "arn:aws:cloudwatch:us-east-1:123456789012:alarm:" + stack + "-datomic-alarm");
        assertNotGranted("cloudwatch:PutMetricAlarm", "arn:aws:cloudwatch:us-east-1:123456789012:alarm:billing-errors"); // the operator's own
        assertGranted("cloudwatch:DescribeAlarms", "arn:aws:cloudwatch:us-east-1:123456789012:alarm:billing-errors");
        assertGranted("s3:CreateBucket", "arn:aws:s3:::datomic-logs-0b5c7a9e-1f3d-4c2b-9e8a-7d6c5b4a3f21");
        assertGranted("s3:CreateBucket", "arn:aws:s3:::datomic-gitops-templates-123456789012-us-east-1");
        assertGranted("s3:PutObject", "arn:aws:s3:::datomic-gitops-templates-123456789012-us-east-1/datomic-gitops/" + stack + "/0123456789abcdef.json");
        assertNotGranted("s3:PutObject", "arn:aws:s3:::" + tx.get("aws-dynamodb-table").orElseThrow() + "-backups/any");
        assertGranted("autoscaling:SetDesiredCapacity",
                "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1a2b3c4d:autoScalingGroupName/" + stack + "-LaunchGroup-AbCdEf123456");
        assertNotGranted("autoscaling:SetDesiredCapacity",
                "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1a2b3c4d:autoScalingGroupName/web-frontend");
    }

    @Test
    void theSandboxFormKeepsEveryGrantButWhatTheSandboxCannotEvaluate() throws Exception {
        JsonNode sandbox = Json.mapper().readTree(POLICY.sandboxForm(Set.of("Stack")));
        Set<String> sids = new HashSet<>();
        for (JsonNode s : sandbox.path("Statement")) {
            sids.add(s.path("Sid").asText());
            assertThat(s.has("Condition")).isFalse();
        }
        assertThat(sids).doesNotContain("Stack", "StackResourcesThroughCloudFormation").contains("DatomicRoles", "LogBuckets");
        assertThat(sandbox.toString()).contains("arn:aws:s3:::datomic-logs-*").contains("s3:HeadBucket").contains("monitoring:ListMetrics");
    }

    private static void assertGranted(String action, String arn) {
        assertThat(granted(action, arn)).as("%s on %s", action, arn).isTrue();
    }

    private static void assertNotGranted(String action, String arn) {
        assertThat(granted(action, arn)).as("%s on %s must not be granted", action, arn).isFalse();
    }

    /** IAM's matching of a resource ARN against a statement's patterns ('*' any run of characters, '?' one). */
    private static boolean granted(String action, String arn) {
        return POLICY.statements().stream().filter(s -> s.actions().contains(action))
                .anyMatch(s -> s.resources().stream().anyMatch(p -> glob(p).matcher(arn).matches()));
    }

    private static Pattern glob(String pattern) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*') re.append(".*");
            else if (c == '?') re.append('.');
            else re.append(Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString());
    }
}
