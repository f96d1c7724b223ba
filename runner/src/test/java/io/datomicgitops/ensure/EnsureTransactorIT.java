package io.datomicgitops.ensure;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.iam.model.Role;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ensure-transactor against the sandbox: every AWS call is real (moto), each test starts from an empty account. */
@ExtendWith(SandboxExtension.class)
class EnsureTransactorIT {
    static final String SYSTEM = "orders";
    static final String REGION = "us-east-1";
    static final String ACCOUNT = "123456789012";

    private Sandbox sandbox;

    @BeforeEach
    void emptyAccount(Sandbox sandbox) {
        this.sandbox = sandbox;
        sandbox.reset();
    }

    /** Runs ensure-transactor with its own call counter. */
    record Run(EnsureResult result, ApiCallCounter counter) {}

    Run run(PropertiesFile tx, EnsureOptions options) {
        ApiCallCounter counter = new ApiCallCounter();
        try (AwsClients aws = sandbox.clients(counter)) {
            return new Run(new EnsureService(aws, Log.NONE, Clock.systemUTC()).ensureTransactor(tx, options), counter);
        }
    }

    <T> T withAws(Function<AwsClients, T> f) {
        try (AwsClients aws = sandbox.clients()) {
            return f.apply(aws);
        }
    }

    @Test
    void freshAccountPlanThenApplyCreatesEverythingWritesNamesAheadAndASecondApplyChangesNothing() {
        PropertiesFile tx = Fixtures.file("transactor.properties");
        String original = tx.text();

        Run plan = run(tx, EnsureOptions.apply(SYSTEM).withPlan(true));
        assertThat(plan.counter().mutatingTotal()).as("plan makes no mutating call").isZero();
        assertThat(tx.text()).as("plan writes nothing").isEqualTo(original);
        assertThat(Fixtures.lines(plan.result())).containsExactly(
                "create dynamodb-table orders-datomic",
                "create s3-bucket datomic-logs-*",
                "create iam-role datomic-aws-transactor",
                "create instance-profile datomic-aws-transactor",
                "create iam-policy datomic-aws-transactor/orders-datomic-transactor",
                "create iam-policy datomic-aws-transactor/datomic-logs-*-transactor-logs",
                "create iam-policy datomic-aws-transactor/transactor-metrics",
                "create iam-role datomic-aws-peer",
                "create instance-profile datomic-aws-peer",
                "create iam-policy datomic-aws-peer/orders-datomic-peer");
        assertThat(plan.result().keysWritten()).containsOnlyKeys("aws-s3-log-bucket-id", "aws-transactor-role", "aws-peer-role");
        assertThat(plan.result().changed()).isTrue();

        // apply: every key is persisted before the next resource is created
        List<String> persisted = new ArrayList<>();
        ApiCallCounter counter = new ApiCallCounter();
        EnsureResult applied;
        try (AwsClients aws = sandbox.clients(counter)) {
            KeyListener listener = (file, keys) -> persisted.add(keys.keySet() + " after " + counter.mutating());
            applied = new EnsureService(aws, Log.NONE, Clock.systemUTC()).ensureTransactor(tx, EnsureOptions.apply(SYSTEM).withListener(listener));
        }
        assertThat(counter.mutating()).as("apply makes exactly the calls the plan listed").isEqualTo(Fixtures.plannedCalls(plan.result()));
        assertThat(persisted).containsExactly(
                "[aws-s3-log-bucket-id] after {DynamoDb:CreateTable=1}", // a generated bucket name goes to git before the bucket exists
                "[aws-transactor-role] after {DynamoDb:CreateTable=1, Iam:CreateRole=1, S3:CreateBucket=1, S3:PutBucketTagging=1}",
                "[aws-peer-role] after {DynamoDb:CreateTable=1, Iam:AddRoleToInstanceProfile=1, Iam:CreateInstanceProfile=1, "
                        + "Iam:CreateRole=2, Iam:PutRolePolicy=3, S3:CreateBucket=1, S3:PutBucketTagging=1}");

        String bucket = tx.get("aws-s3-log-bucket-id").orElseThrow();
        assertThat(bucket).matches("datomic-logs-[0-9a-f-]{36}");
        assertThat(applied.keysWritten()).containsExactly(Map.entry("aws-s3-log-bucket-id", bucket),
                Map.entry("aws-transactor-role", "datomic-aws-transactor"), Map.entry("aws-peer-role", "datomic-aws-peer"));
        assertThat(tx.text()).as("comments kept; names next to their template lines; nothing else changed").isEqualTo(original
                .replace("# aws-transactor-role=\n", "# aws-transactor-role=\naws-transactor-role=datomic-aws-transactor\n")
                .replace("\naws-peer-role=\n", "\naws-peer-role=datomic-aws-peer\n")
                .replace("\naws-s3-log-bucket-id=\n", "\naws-s3-log-bucket-id=" + bucket + "\n"));

        withAws(aws -> {
            TableDescription t = aws.dynamoDb(REGION).describeTable(r -> r.tableName("orders-datomic")).table();
            assertThat(t.keySchema()).singleElement().satisfies(k -> assertThat(k.attributeName() + " " + k.keyTypeAsString()).isEqualTo("id HASH"));
            assertThat(t.attributeDefinitions()).singleElement().satisfies(a -> assertThat(a.attributeTypeAsString()).isEqualTo("S"));
            assertThat(t.provisionedThroughput().readCapacityUnits()).isEqualTo(100L);
            assertThat(t.provisionedThroughput().writeCapacityUnits()).isEqualTo(50L);
            assertThat(t.tableStatusAsString()).isEqualTo("ACTIVE");
            assertThat(new DynamoTables(new EnsureContext(aws, Log.NONE, EnsureOptions.apply(SYSTEM))).tags(REGION, t.tableArn()))
                    .containsEntry(Tags.SYSTEM, SYSTEM).containsEntry(Tags.KEY, "aws-dynamodb-table").containsEntry(Tags.TOOL, "datomic-gitops");

            Role role = aws.iam().getRole(r -> r.roleName("datomic-aws-transactor")).role();
            assertThat(PolicyDocuments.trustsEc2(role.assumeRolePolicyDocument())).isTrue();
            assertThat(new AwsSetup(aws).roleTags("datomic-aws-peer")).containsEntry(Tags.KEY, "aws-peer-role").containsEntry(Tags.SYSTEM, SYSTEM);
            String tablePolicy = URLDecoder.decode(aws.iam().getRolePolicy(r -> r.roleName("datomic-aws-transactor")
                    .policyName("orders-datomic-transactor")).policyDocument(), StandardCharsets.UTF_8);
            assertThat(tablePolicy).contains("arn:aws:dynamodb:*:" + ACCOUNT + ":table/orders-datomic");
            assertThat(aws.iam().getInstanceProfile(r -> r.instanceProfileName("datomic-aws-peer")).instanceProfile().roles())
                    .extracting(Role::roleName).containsExactly("datomic-aws-peer");
            assertThat(new LogBuckets(new EnsureContext(aws, Log.NONE, EnsureOptions.apply(SYSTEM))).tags(REGION, bucket))
                    .containsEntry(Tags.KEY, "aws-s3-log-bucket-id");
            return null;
        });

        // idempotence: the second apply makes no mutating call and changes no byte
        byte[] before = tx.toBytes();
        Run again = run(tx, EnsureOptions.apply(SYSTEM).withListener((f, k) -> { throw new AssertionError("nothing to persist: " + k); }));
        assertThat(again.counter().mutating()).isEmpty();
        assertThat(tx.toBytes()).isEqualTo(before);
        assertThat(again.result().changed()).isFalse();
        assertThat(again.result().resources()).allSatisfy(c -> assertThat(c.action()).isEqualTo(ResourceChange.Action.UNCHANGED));
        Run plan2 = run(tx, EnsureOptions.apply(SYSTEM).withPlan(true));
        assertThat(plan2.result().changed()).isFalse();
    }

    @Test
    void everythingAlreadyThereUnderExplicitNamesIsOnlyChecked() {
        String document = PolicyDocuments.transactor(ACCOUNT, "shop", "shop-logs", false, List.of()).get("shop-transactor");
        withAws(aws -> {
            AwsSetup s = new AwsSetup(aws);
            s.table(REGION, "shop", "id", ScalarAttributeType.S);
            s.bucket(REGION, "shop-logs");
            s.role("shop-transactor", Map.of());
            s.role("shop-peer", Map.of());
            s.policy("shop-transactor", "shop-transactor", document);
            s.policy("shop-transactor", "shop-logs-transactor-logs", PolicyDocuments.transactor(ACCOUNT, "shop", "shop-logs", false, List.of()).get("shop-logs-transactor-logs"));
            s.policy("shop-peer", "shop-peer", PolicyDocuments.peer(ACCOUNT, "shop").get("shop-peer"));
            return null;
        });
        PropertiesFile tx = Fixtures.file("transactor.properties", "aws-dynamodb-table=orders-datomic", "aws-dynamodb-table=shop",
                "# aws-transactor-role=\n", "aws-transactor-role=shop-transactor\n", "aws-peer-role=\n", "aws-peer-role=shop-peer  \n",
                "aws-s3-log-bucket-id=\n", "aws-s3-log-bucket-id=shop-logs\n", "aws-cloudwatch-region=us-east-1\n", "");
        String before = tx.text();
        Run r = run(tx, EnsureOptions.apply(SYSTEM));
        assertThat(r.counter().mutating()).isEmpty();
        assertThat(tx.text()).as("names from the file stay as written, trailing blanks included").isEqualTo(before);
        assertThat(Fixtures.lines(r.result())).as("roles it did not create get no instance profile (as Datomic)").containsExactly(
                "unchanged dynamodb-table shop",
                "unchanged s3-bucket shop-logs",
                "unchanged iam-role shop-transactor",
                "unchanged iam-policy shop-transactor/shop-transactor",
                "unchanged iam-policy shop-transactor/shop-logs-transactor-logs",
                "unchanged iam-role shop-peer",
                "unchanged iam-policy shop-peer/shop-peer");
    }

    @Test
    void rolesButNoBucketYetAddsTheBucketAndItsPolicyOnly() {
        PropertiesFile tx = Fixtures.file("transactor.properties", "aws-s3-log-bucket-id=\n", "# aws-s3-log-bucket-id=\n");
        run(tx, EnsureOptions.apply(SYSTEM));
        assertThat(tx.declares("aws-s3-log-bucket-id")).isFalse();

        // the operator turns log rotation on: only the bucket and the transactor's log policy are new
        tx.set("aws-s3-log-bucket-id", "");
        Run plan = run(tx, EnsureOptions.apply(SYSTEM).withPlan(true));
        assertThat(Fixtures.lines(plan.result()).stream().filter(l -> !l.startsWith("unchanged")).toList()).containsExactly(
                "create s3-bucket datomic-logs-*",
                "create iam-policy datomic-aws-transactor/datomic-logs-*-transactor-logs");
        Run apply = run(tx, EnsureOptions.apply(SYSTEM));
        assertThat(apply.counter().mutating()).isEqualTo(Map.of("S3:CreateBucket", 1L, "S3:PutBucketTagging", 1L, "Iam:PutRolePolicy", 1L));

        // then gives a secret by its ARN, which the instance reads at boot: the transactor role may read that one only
        String arn = "arn:aws:secretsmanager:us-east-1:" + ACCOUNT + ":secret:orders/memcached-AbCdEf";
        tx.set("memcached-password", arn);
        Run secretPlan = run(tx, EnsureOptions.apply(SYSTEM).withPlan(true));
        assertThat(Fixtures.lines(secretPlan.result()).stream().filter(l -> !l.startsWith("unchanged")).toList())
                .containsExactly("create iam-policy datomic-aws-transactor/transactor-secrets");
        assertThat(run(tx, EnsureOptions.apply(SYSTEM)).counter().mutating()).isEqualTo(Map.of("Iam:PutRolePolicy", 1L));
        String document = URLDecoder.decode(withAws(aws -> aws.iam().getRolePolicy(r -> r.roleName("datomic-aws-transactor")
                .policyName("transactor-secrets")).policyDocument()), StandardCharsets.UTF_8);
        assertThat(document).contains("\"secretsmanager:GetSecretValue\"", "\"" + arn + "\"").doesNotContain("kms:");
    }

    @Test
    void aTableButNoRolesCreatesTheRolesAndKeepsTheTable() {
        withAws(aws -> {
            new AwsSetup(aws).table("eu-west-1", "orders-datomic", "id", ScalarAttributeType.S);
            return null;
        });
        PropertiesFile tx = Fixtures.file("transactor.properties", "aws-dynamodb-region=us-east-1", "aws-dynamodb-region=eu-west-1");
        Run r = run(tx, EnsureOptions.apply(SYSTEM));
        assertThat(Fixtures.lines(r.result())).first().isEqualTo("unchanged dynamodb-table orders-datomic");
        assertThat(r.counter().mutating()).doesNotContainKey("DynamoDb:CreateTable").containsEntry("Iam:CreateRole", 2L);
        String bucket = tx.get("aws-s3-log-bucket-id").orElseThrow();
        String location = withAws(aws -> aws.s3("eu-west-1").getBucketLocation(b -> b.bucket(bucket)).locationConstraintAsString());
        assertThat(location).as("the log bucket lives in the transactor's region").isEqualTo("eu-west-1");
    }

    @Test
    void aGeneratedBucketLeftUntaggedByARunThatDiedIsTaggedByTheNextNotCreatedAgain() {
        // the dead run committed the generated name, created the bucket, and died before PutBucketTagging
        String bucket = "datomic-logs-" + java.util.UUID.randomUUID();
        withAws(aws -> aws.s3(REGION).createBucket(b -> b.bucket(bucket)));
        PropertiesFile tx = Fixtures.file("transactor.properties", "aws-s3-log-bucket-id=\n", "aws-s3-log-bucket-id=" + bucket + "\n");

        Run plan = run(tx, EnsureOptions.apply(SYSTEM).withPlan(true));
        assertThat(plan.result().resources()).filteredOn(c -> c.kind() == ResourceChange.Kind.S3_BUCKET).singleElement()
                .satisfies(c -> assertThat(c.action()).isEqualTo(ResourceChange.Action.UPDATE))
                .satisfies(c -> assertThat(c.note()).contains("stopped before tagging"));
        Run apply = run(tx, EnsureOptions.apply(SYSTEM));
        assertThat(apply.counter().mutating()).containsEntry("S3:PutBucketTagging", 1L).doesNotContainKey("S3:CreateBucket");
        withAws(aws -> {
            assertThat(new LogBuckets(new EnsureContext(aws, Log.NONE, EnsureOptions.apply(SYSTEM))).tags(REGION, bucket))
                    .containsEntry(Tags.KEY, "aws-s3-log-bucket-id");
            return null;
        });
        assertThat(tx.get("aws-s3-log-bucket-id")).hasValue(bucket);

        // a bucket named by the operator is theirs: left alone, tags or not
        withAws(aws -> aws.s3(REGION).createBucket(b -> b.bucket("shop-logs-untagged")));
        PropertiesFile named = Fixtures.file("transactor.properties", "aws-s3-log-bucket-id=\n", "aws-s3-log-bucket-id=shop-logs-untagged\n");
        Run again = run(named, EnsureOptions.apply(SYSTEM));
        assertThat(again.counter().mutating()).doesNotContainKey("S3:PutBucketTagging");
    }

    @Test
    void aLostKeyIsRecoveredByItsTagsInsteadOfCreatingASecondResource() {
        PropertiesFile first = Fixtures.file("transactor.properties");
        run(first, EnsureOptions.apply(SYSTEM));
        String bucket = first.get("aws-s3-log-bucket-id").orElseThrow();

        // the written file never reached git: the next run starts again from the original
        PropertiesFile lost = Fixtures.file("transactor.properties");
        Run plan = run(lost, EnsureOptions.apply(SYSTEM).withPlan(true));
        assertThat(plan.result().resources()).filteredOn(c -> c.key() != null && !c.key().equals("aws-dynamodb-table"))
                .extracting(ResourceChange::action).containsOnly(ResourceChange.Action.RECOVERED);
        assertThat(plan.result().resources()).filteredOn(c -> c.kind() == ResourceChange.Kind.IAM_ROLE)
                .allSatisfy(c -> assertThat(c.note()).contains("found again by its tags"));
        Run apply = run(lost, EnsureOptions.apply(SYSTEM));
        assertThat(apply.counter().mutating()).as("nothing new is created").isEmpty();
        assertThat(lost.text()).isEqualTo(first.text());
        assertThat(lost.get("aws-s3-log-bucket-id")).hasValue(bucket);
        long buckets = withAws(aws -> aws.s3(REGION).listBuckets().buckets().stream().filter(b -> b.name().startsWith("datomic-logs-")).count());
        assertThat(buckets).isEqualTo(1);
        List<String> roleNames = withAws(aws -> aws.iam().listRoles().roles().stream().map(Role::roleName).toList());
        assertThat(roleNames)
                .containsExactlyInAnyOrder("datomic-aws-transactor", "datomic-aws-peer");

        // another system's tags are not ours: it gets its own resources, with Datomic's next free names
        PropertiesFile other = Fixtures.file("transactor.properties", "aws-s3-log-bucket-id=\n", "");
        run(other, EnsureOptions.apply("billing"));
        assertThat(other.get("aws-transactor-role")).hasValue("datomic-aws-transactor-1");
        assertThat(other.get("aws-peer-role")).hasValue("datomic-aws-peer-1");
    }

    @Test
    void aForeignTableWithTheSameNameIsAnErrorNotAChange() {
        withAws(aws -> {
            new AwsSetup(aws).table(REGION, "orders-datomic", "pk", ScalarAttributeType.S);
            new AwsSetup(aws).table(REGION, "numbers", "id", ScalarAttributeType.N);
            return null;
        });
        ApiCallCounter counter = new ApiCallCounter();
        try (AwsClients aws = sandbox.clients(counter)) {
            EnsureService service = new EnsureService(aws, Log.NONE, Clock.systemUTC());
            assertThatThrownBy(() -> service.ensureTransactor(Fixtures.file("transactor.properties"), EnsureOptions.apply(SYSTEM)))
                    .isInstanceOfSatisfying(ToolException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID_CONFIG);
                        assertThat(e.getMessage()).contains("transactor.properties:17: DynamoDB table orders-datomic in us-east-1 exists with key schema [pk HASH (S)]")
                                .contains("not Datomic's (hash key id of type S)");
                    });
            assertThatThrownBy(() -> service.ensureTransactor(Fixtures.file("transactor.properties", "=orders-datomic", "=numbers"),
                    EnsureOptions.apply(SYSTEM))).hasMessageContaining("[id HASH (N)]");
        }
        assertThat(counter.mutatingTotal()).isZero();
    }

    @Test
    void onlyDynamoDbStorageIsProvisioned() {
        PropertiesFile dev = Fixtures.file("transactor.properties", "protocol=ddb", "protocol=dev");
        assertThatThrownBy(() -> run(dev, EnsureOptions.apply(SYSTEM))).hasMessageContaining("transactor.properties:5:")
                .hasMessageContaining("protocol must be ddb, not dev");
    }

    @Test
    void anotherSystemsPolicyOnASharedRoleIsNamedAsItsOwnersAndNeverAdvisedForDeletion() {
        // billing's ensure made Datomic's default roles (tagged with its system) and put its policies on them
        run(Fixtures.file("transactor.properties", "=orders-datomic", "=billing-datomic"), EnsureOptions.apply("billing"));
        // orders shares those roles under their default names
        PropertiesFile tx = Fixtures.file("transactor.properties");
        tx.set("aws-transactor-role", "datomic-aws-transactor");
        tx.set("aws-peer-role", "datomic-aws-peer");

        Run plan = run(tx, EnsureOptions.apply(SYSTEM).withPlan(true));
        List<ResourceChange> billings = plan.result().resources().stream()
                .filter(c -> c.action() == ResourceChange.Action.STALE_POLICY_KEPT && c.name().contains("billing-datomic")).toList();
        assertThat(billings).extracting(ResourceChange::name)
                .containsExactly("datomic-aws-transactor/billing-datomic-transactor", "datomic-aws-peer/billing-datomic-peer");
        assertThat(billings).allSatisfy(c -> assertThat(c.note())
                .contains("the role is system billing's (its datomic-gitops:system tag) and shared with this system", "left alone")
                .doesNotContain("delete-role-policy"));
        assertThat(plan.counter().mutatingTotal()).isZero();

        // a role whose tags name no owner (made by Datomic's own tool, or by hand): nobody is told to delete anything
        withAws(aws -> aws.iam().untagRole(r -> r.roleName("datomic-aws-transactor").tagKeys("datomic-gitops:system")));
        Run unowned = run(tx, EnsureOptions.apply(SYSTEM).withPlan(true));
        assertThat(unowned.result().resources()).filteredOn(c -> c.name().equals("datomic-aws-transactor/billing-datomic-transactor"))
                .singleElement().satisfies(c -> assertThat(c.note()).contains("whose tags name no owning system (datomic-gitops:system)")
                        .doesNotContain("delete-role-policy"));
    }

    @Test
    void driftedPoliciesAreRestoredWithTheirDifferenceAndStaleOnesAreReportedNotDeleted() {
        PropertiesFile tx = Fixtures.file("transactor.properties");
        run(tx, EnsureOptions.apply(SYSTEM));
        withAws(aws -> {
            new AwsSetup(aws).policy("datomic-aws-peer", "orders-datomic-peer", PolicyDocuments.peer(ACCOUNT, "somewhere-else").get("somewhere-else-peer"));
            return null;
        });
        tx.set("aws-dynamodb-table", "orders-v2"); // the table changes: the peer's policy follows it
        tx.remove("aws-cloudwatch-region");
        Run plan = run(tx, EnsureOptions.apply(SYSTEM).withPlan(true));
        assertThat(Fixtures.lines(plan.result())).contains(
                "create dynamodb-table orders-v2",
                "create iam-policy datomic-aws-transactor/orders-v2-transactor",
                "stale-policy-kept iam-policy datomic-aws-transactor/orders-datomic-transactor",
                "stale-policy-kept iam-policy datomic-aws-transactor/transactor-metrics",
                "create iam-policy datomic-aws-peer/orders-v2-peer",
                "stale-policy-kept iam-policy datomic-aws-peer/orders-datomic-peer");

        tx.set("aws-dynamodb-table", "orders-datomic");
        Run drift = run(tx, EnsureOptions.apply(SYSTEM).withPlan(true));
        ResourceChange peer = drift.result().resources().stream().filter(c -> c.name().equals("datomic-aws-peer/orders-datomic-peer")).findFirst().orElseThrow();
        assertThat(peer.action()).isEqualTo(ResourceChange.Action.UPDATE);
        assertThat(peer.differences()).singleElement().satisfies(d -> {
            assertThat(d.field()).isEqualTo("document");
            assertThat(d.from()).contains("table/somewhere-else");
            assertThat(d.to()).contains("table/orders-datomic");
        });
        Run fix = run(tx, EnsureOptions.apply(SYSTEM));
        assertThat(fix.counter().mutating()).isEqualTo(Map.of("Iam:PutRolePolicy", 1L));
        List<String> policyNames = withAws(aws -> aws.iam().listRolePolicies(r -> r.roleName("datomic-aws-transactor")).policyNames());
        assertThat(policyNames)
                .contains("transactor-metrics"); // never deleted
    }

    @Test
    void aTransactorRoleEc2CannotAssumeGetsTheEc2StatementAddedAPeerRoleIsLeftAlone() {
        String lambdaTrust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
        withAws(aws -> aws.iam().createRole(r -> r.roleName("shop-transactor").assumeRolePolicyDocument(lambdaTrust)));
        withAws(aws -> aws.iam().createRole(r -> r.roleName("shop-peer").assumeRolePolicyDocument(lambdaTrust)));
        PropertiesFile tx = Fixtures.file("transactor.properties", "# aws-transactor-role=\n", "aws-transactor-role=shop-transactor\n",
                "aws-peer-role=\n", "aws-peer-role=shop-peer\n");
        Run plan = run(tx, EnsureOptions.apply(SYSTEM).withPlan(true));
        ResourceChange role = plan.result().resources().stream().filter(c -> c.name().equals("shop-transactor")).findFirst().orElseThrow();
        assertThat(role.action()).isEqualTo(ResourceChange.Action.UPDATE);
        assertThat(role.calls()).containsExactly("Iam:UpdateAssumeRolePolicy");
        assertThat(role.differences().get(0).field()).isEqualTo("trust policy");
        assertThat(role.differences().get(0).to()).contains("lambda.amazonaws.com").contains("ec2.amazonaws.com");
        assertThat(Fixtures.lines(plan.result())).contains("unchanged iam-role shop-peer");
        run(tx, EnsureOptions.apply(SYSTEM));
        String trust = withAws(aws -> aws.iam().getRole(r -> r.roleName("shop-transactor")).role().assumeRolePolicyDocument());
        assertThat(PolicyDocuments.trustsEc2(trust)).isTrue();
        assertThat(PolicyDocuments.decode(trust)).contains("lambda.amazonaws.com");
    }

    @Test
    void aJsonReportOfTheResultReadsBack() throws Exception {
        Run plan = run(Fixtures.file("transactor.properties"), EnsureOptions.apply(SYSTEM).withPlan(true));
        var tree = new ObjectMapper().readTree(io.datomicgitops.report.Json.write(plan.result()));
        assertThat(tree.path("phase").asText()).isEqualTo("ensure-transactor");
        assertThat(tree.path("resources").get(0).path("calls").get(0).asText()).isEqualTo("DynamoDb:CreateTable");
        assertThat(tree.path("keysWritten").path("aws-peer-role").asText()).isEqualTo("datomic-aws-peer");
    }
}
