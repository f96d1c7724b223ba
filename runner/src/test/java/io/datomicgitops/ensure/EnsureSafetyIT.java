package io.datomicgitops.ensure;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.aws.ApiCallCounter;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.report.Log;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Names are never lost and resources never duplicated: a running stack with missing keys, --adopt,
 * --allow-new-resources, and the IAM errors (quota, duplicates, races) an apply can meet.
 */
@ExtendWith(SandboxExtension.class)
class EnsureSafetyIT {
    static final String SYSTEM = "orders";
    static final String STACK = "orders-transactor";
    static final String ACCOUNT = "123456789012";

    private Sandbox sandbox;

    @BeforeEach
    void emptyAccount(Sandbox sandbox) {
        this.sandbox = sandbox;
        sandbox.reset();
    }

    void aws(Consumer<AwsClients> f) {
        try (AwsClients aws = sandbox.clients()) {
            f.accept(aws);
        }
    }

    EnsureTransactorIT.Run run(PropertiesFile tx, EnsureOptions options) {
        ApiCallCounter counter = new ApiCallCounter();
        try (AwsClients aws = sandbox.clients(counter)) {
            return new EnsureTransactorIT.Run(new EnsureService(aws, Log.NONE, Clock.systemUTC()).ensureTransactor(tx, options), counter);
        }
    }

    /** What Datomic's own tool left behind: untagged resources, and a stack built from its template. */
    void datomicMadeStack(String userDataLines) {
        aws(aws -> {
            AwsSetup s = new AwsSetup(aws);
            s.table("us-east-1", "orders-datomic", "id", ScalarAttributeType.S);
            s.bucket("us-east-1", "orders-logs");
            s.role("datomic-aws-transactor", Map.of());
            s.role("datomic-aws-peer", Map.of());
            s.profile("datomic-aws-transactor", "datomic-aws-transactor");
            PolicyDocuments.transactor(ACCOUNT, "orders-datomic", "orders-logs", true, List.of()).forEach((n, d) -> s.policy("datomic-aws-transactor", n, d));
            PolicyDocuments.peer(ACCOUNT, "orders-datomic").forEach((n, d) -> s.policy("datomic-aws-peer", n, d));
            aws.cloudFormation("us-east-1").createStack(r -> r.stackName(STACK).templateBody(template(userDataLines))
                    .parameters(Parameter.builder().parameterKey("InstanceProfile").parameterValue("datomic-aws-transactor").build()));
        });
    }

    /** The shape of Datomic's create-cf-template output, reduced to what matters here. */
    static String template(String userDataLines) {
        StringBuilder lines = new StringBuilder();
        for (String l : userDataLines.split("\n")) lines.append(",\"").append(l).append('"');
        return "{\"Description\":\"Datomic Transactor Template\","
                + "\"Parameters\":{\"InstanceProfile\":{\"Type\":\"String\",\"Default\":\"datomic-aws-transactor\"}},"
                + "\"Resources\":{"
                + "\"LaunchConfig\":{\"Type\":\"AWS::AutoScaling::LaunchConfiguration\",\"Properties\":{\"ImageId\":\"ami-0123456789abcdef0\","
                + "\"InstanceType\":\"c3.large\",\"IamInstanceProfile\":{\"Ref\":\"InstanceProfile\"},"
                + "\"UserData\":{\"Fn::Base64\":{\"Fn::Join\":[\"\\n\",[\"cd /datomic\",\"cat <<EOF >aws.properties\""
                + lines + ",\"EOF\",\"./startup.sh\"]]}}}},"
                + "\"LaunchGroup\":{\"Type\":\"AWS::AutoScaling::AutoScalingGroup\",\"Properties\":{\"AvailabilityZones\":{\"Fn::GetAZs\":\"\"},"
                + "\"MinSize\":\"1\",\"MaxSize\":\"1\",\"LaunchConfigurationName\":{\"Ref\":\"LaunchConfig\"}}}}}";
    }

    static final String FULL_USER_DATA = "protocol=ddb\naws-dynamodb-table=orders-datomic\naws-peer-role=datomic-aws-peer\n"
            + "aws-s3-log-bucket-id=orders-logs\naws-transactor-role=datomic-aws-transactor";

    EnsureOptions onStack() {
        return EnsureOptions.apply(SYSTEM).withStack(STACK, "us-east-1");
    }

    @Test
    void aRunningStackWithMissingGeneratedKeysIsRefusedWithoutAnyChange() {
        datomicMadeStack(FULL_USER_DATA);
        PropertiesFile tx = Fixtures.file("transactor.properties");
        String before = tx.text();
        ApiCallCounter counter = new ApiCallCounter();
        try (AwsClients aws = sandbox.clients(counter)) {
            EnsureService service = new EnsureService(aws, Log.NONE, Clock.systemUTC());
            for (boolean plan : new boolean[]{true, false}) {
                assertThatThrownBy(() -> service.ensureTransactor(tx, onStack().withPlan(plan)))
                        .isInstanceOfSatisfying(ToolException.class, e -> {
                            assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID_CONFIG);
                            assertThat(e.getMessage()).startsWith("transactor.properties: stack orders-transactor already exists, but "
                                    + "transactor.properties has no value for aws-s3-log-bucket-id, aws-transactor-role, aws-peer-role")
                                    .contains("new names would create a second set of resources")
                                    .contains("--adopt").contains("--allow-new-resources");
                        });
            }
        }
        assertThat(counter.mutatingTotal()).isZero();
        assertThat(counter.snapshot()).containsKey("CloudFormation:DescribeStacks");
        assertThat(tx.text()).isEqualTo(before);
    }

    @Test
    void adoptTakesTheNamesTheStackRunsWithAndCreatesNothing() {
        datomicMadeStack(FULL_USER_DATA);
        PropertiesFile tx = Fixtures.file("transactor.properties");
        EnsureTransactorIT.Run plan = run(tx, onStack().withAdopt(true).withPlan(true));
        assertThat(Fixtures.lines(plan.result())).contains("recovered s3-bucket orders-logs", "recovered iam-role datomic-aws-transactor",
                "recovered iam-role datomic-aws-peer");
        assertThat(plan.result().resources()).filteredOn(c -> c.action() == ResourceChange.Action.RECOVERED)
                .allSatisfy(c -> assertThat(c.note()).contains("taken from stack orders-transactor (--adopt)"));
        assertThat(plan.result().keysWritten()).containsExactly(Map.entry("aws-s3-log-bucket-id", "orders-logs"),
                Map.entry("aws-transactor-role", "datomic-aws-transactor"), Map.entry("aws-peer-role", "datomic-aws-peer"));

        EnsureTransactorIT.Run apply = run(tx, onStack().withAdopt(true));
        assertThat(apply.counter().mutating()).isEmpty();
        assertThat(tx.get("aws-transactor-role")).hasValue("datomic-aws-transactor");
        // from now on the file names everything: no flag is needed any more
        EnsureTransactorIT.Run again = run(tx, onStack());
        assertThat(again.result().changed()).isFalse();
    }

    @Test
    void adoptFallsBackToTheInstanceProfileParameterAndRefusesWhatTheStackDoesNotTell() {
        datomicMadeStack("protocol=ddb\naws-dynamodb-table=orders-datomic");
        PropertiesFile tx = Fixtures.file("transactor.properties");
        assertThatThrownBy(() -> run(tx, onStack().withAdopt(true).withPlan(true)))
                .hasMessageContaining("stack orders-transactor does not tell the names for [aws-s3-log-bucket-id, aws-peer-role]");
        EnsureTransactorIT.Run both = run(tx, onStack().withAdopt(true).withAllowNewResources(true).withPlan(true));
        assertThat(both.result().keysWritten()).containsEntry("aws-transactor-role", "datomic-aws-transactor")
                .containsEntry("aws-peer-role", "datomic-aws-peer-1");
    }

    @Test
    void allowNewResourcesCreatesASecondSetOnPurposeWithDatomicsNextFreeNames() {
        datomicMadeStack(FULL_USER_DATA);
        PropertiesFile tx = Fixtures.file("transactor.properties");
        EnsureTransactorIT.Run r = run(tx, onStack().withAllowNewResources(true));
        assertThat(tx.get("aws-transactor-role")).hasValue("datomic-aws-transactor-1");
        assertThat(tx.get("aws-peer-role")).hasValue("datomic-aws-peer-1");
        assertThat(tx.get("aws-s3-log-bucket-id").orElseThrow()).startsWith("datomic-logs-");
        assertThat(r.result().warnings()).anySatisfy(w -> assertThat(w).contains("--allow-new-resources"));
    }

    @Test
    void tagsRecoverNamesEvenWhenTheStackRunsSoNoFlagIsNeeded() {
        PropertiesFile first = Fixtures.file("transactor.properties");
        run(first, EnsureOptions.apply(SYSTEM));
        aws(aws -> aws.cloudFormation("us-east-1").createStack(r -> r.stackName(STACK).templateBody(template(FULL_USER_DATA))
                .parameters(Parameter.builder().parameterKey("InstanceProfile").parameterValue("datomic-aws-transactor").build())));
        PropertiesFile lost = Fixtures.file("transactor.properties");
        EnsureTransactorIT.Run r = run(lost, onStack());
        assertThat(r.counter().mutating()).isEmpty();
        assertThat(lost.text()).isEqualTo(first.text());
        assertThat(r.counter().snapshot()).as("all found by tags: the stack is not even asked").doesNotContainKey("CloudFormation:DescribeStacks");
    }

    @Test
    void anInstanceProfileHoldingAnotherRoleIsAnErrorAtPlanTime() {
        aws(aws -> {
            new AwsSetup(aws).role("someone-else", Map.of());
            new AwsSetup(aws).profile("datomic-aws-transactor", "someone-else");
        });
        assertThatThrownBy(() -> run(Fixtures.file("transactor.properties"), EnsureOptions.apply(SYSTEM).withPlan(true)))
                .isInstanceOfSatisfying(ToolException.class, e -> assertThat(e.getMessage())
                        .contains("instance profile datomic-aws-transactor already holds role someone-else (a profile holds one role)"));
    }

    @Test
    void aRoleSomeoneElseCreatesBetweenPlanAndApplyIsNotTaken() {
        PropertiesFile tx = Fixtures.file("transactor.properties");
        try (AwsClients aws = sandbox.clients()) {
            Plan plan = new TransactorPlanner(new EnsureContext(aws, Log.NONE, EnsureOptions.apply(SYSTEM))).plan(tx);
            new AwsSetup(aws).role("datomic-aws-transactor", Map.of());
            assertThatThrownBy(() -> Applier.apply(plan, KeyListener.NONE, Log.NONE))
                    .hasMessageContaining("IAM role datomic-aws-transactor appeared after the plan, created by someone else");
        }
        assertThat(tx.declares("aws-transactor-role")).isFalse();
        assertThat(tx.get("aws-s3-log-bucket-id")).as("the bucket made before is named in the file").isPresent();
    }

    @Test
    void ourOwnRoleFromAnAnswerThatGotLostIsTakenAsCreated() {
        PropertiesFile tx = Fixtures.file("transactor.properties");
        ApiCallCounter counter = new ApiCallCounter();
        try (AwsClients aws = sandbox.clients(counter)) {
            Plan plan = new TransactorPlanner(new EnsureContext(aws, Log.NONE, EnsureOptions.apply(SYSTEM))).plan(tx);
            // as if CreateRole succeeded but its answer never arrived, and the SDK retried
            new AwsSetup(aws).role("datomic-aws-transactor", Tags.of(SYSTEM, "aws-transactor-role"));
            Applier.apply(plan, KeyListener.NONE, Log.NONE);
        }
        assertThat(tx.get("aws-transactor-role")).hasValue("datomic-aws-transactor");
        assertThat(counter.mutating()).containsEntry("Iam:CreateRole", 3L); // by hand, then ours (EntityAlreadyExists), then the peer's
    }

    @Test
    void theAccountsRoleQuotaStopsTheRunWithAClearMessage() throws Exception {
        // recorded from IAM: CreateRole when the account holds its maximum number of roles
        String quota = "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type>"
                + "<Code>LimitExceeded</Code><Message>Cannot exceed quota for RolesPerAccount: 1000</Message></Error>"
                + "<RequestId>4a2b7a2e-recorded</RequestId></ErrorResponse>";
        PropertiesFile tx = Fixtures.file("transactor.properties");
        try (RecordedErrorProxy proxy = new RecordedErrorProxy(sandbox.endpoint(), "CreateRole", 409, quota);
             AwsClients aws = new AwsClients(sandbox.settings().with(null, proxy.endpoint().toString(), null, null), new ApiCallCounter())) {
            EnsureService service = new EnsureService(aws, Log.NONE, Clock.systemUTC());
            assertThatThrownBy(() -> service.ensureTransactor(tx, EnsureOptions.apply(SYSTEM)))
                    .isInstanceOfSatisfying(ToolException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.FAILED);
                        assertThat(e.getMessage()).contains("IAM refused to create role datomic-aws-transactor: Cannot exceed quota for RolesPerAccount: 1000")
                                .contains("delete unused roles or ask AWS for a higher quota");
                    });
            assertThat(proxy.answered.get()).isEqualTo(1);
        }
        assertThat(tx.declares("aws-transactor-role")).isFalse();
        assertThat(tx.get("aws-s3-log-bucket-id")).isPresent();
        // the next run, once the quota allows it, picks up where this one stopped
        EnsureTransactorIT.Run next = run(tx, EnsureOptions.apply(SYSTEM));
        assertThat(next.counter().mutating()).doesNotContainKeys("DynamoDb:CreateTable", "S3:CreateBucket").containsEntry("Iam:CreateRole", 2L);
    }

    @Test
    void severalTaggedCandidatesAreAnErrorNotAGuess() {
        aws(aws -> {
            new AwsSetup(aws).role("datomic-aws-peer", Tags.of(SYSTEM, "aws-peer-role"));
            new AwsSetup(aws).role("datomic-aws-peer-1", Tags.of(SYSTEM, "aws-peer-role"));
        });
        assertThatThrownBy(() -> run(Fixtures.file("transactor.properties"), EnsureOptions.apply(SYSTEM).withPlan(true)))
                .hasMessageContaining("several resources are tagged for system orders and key aws-peer-role: [datomic-aws-peer, datomic-aws-peer-1]");
    }

}
