package io.datomicgitops.ensure;

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
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The storage's protections against the sandbox: ensure-transactor turns on the table's deletion protection and
 * point-in-time recovery and the log bucket's Block Public Access (and versioning when asked for), shows each in the
 * plan with the call that makes it, finds nothing to do once they are on, and never turns one off.
 */
@ExtendWith(SandboxExtension.class)
class StorageProtectionsIT {
    static final String SYSTEM = "orders";
    static final String REGION = "us-east-1";
    static final Protections ALL = new Protections(true, true, true, true);

    private Sandbox sandbox;

    @BeforeEach
    void emptyAccount(Sandbox sandbox) {
        this.sandbox = sandbox;
        sandbox.reset();
    }

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

    /** What AWS says of the table's and the bucket's protections, in the plan's words. */
    Map<String, String> protectionsInAws(String table, String bucket) {
        return withAws(aws -> {
            EnsureContext ctx = new EnsureContext(aws, Log.NONE, EnsureOptions.apply(SYSTEM));
            boolean deletion = Boolean.TRUE.equals(aws.dynamoDb(REGION).describeTable(r -> r.tableName(table)).table().deletionProtectionEnabled());
            BucketProtections b = new BucketProtections(ctx);
            return Map.of(
                    TableProtections.DELETION_PROTECTION, deletion ? "enabled" : "disabled",
                    TableProtections.POINT_IN_TIME_RECOVERY, new TableProtections(ctx).pointInTimeRecovery(REGION, table).toLowerCase(),
                    BucketProtections.BLOCK_PUBLIC_ACCESS, b.publicAccessBlock(REGION, bucket),
                    BucketProtections.VERSIONING, b.versioning(REGION, bucket));
        });
    }

    static ResourceChange change(Run r, ResourceChange.Kind kind) {
        return r.result().resources().stream().filter(c -> c.kind() == kind).findFirst().orElseThrow();
    }

    @Test
    void aNewTableAndBucketAreCreatedProtectedAsThePlanSaysAndASecondPlanHasNothingToDo() {
        PropertiesFile tx = Fixtures.file("transactor.properties");
        Run plan = run(tx, EnsureOptions.apply(SYSTEM).withProtections(ALL).withPlan(true));
        assertThat(plan.counter().mutatingTotal()).as("plan makes no mutating call").isZero();
        ResourceChange table = change(plan, ResourceChange.Kind.DYNAMODB_TABLE);
        assertThat(table.calls()).containsExactly("DynamoDb:CreateTable", "DynamoDb:UpdateContinuousBackups");
        assertThat(table.differences()).containsExactly(
                new ResourceChange.Difference("deletion-protection", "(new)", "enabled"),
                new ResourceChange.Difference("point-in-time-recovery", "(new)", "enabled"));
        ResourceChange bucket = change(plan, ResourceChange.Kind.S3_BUCKET);
        assertThat(bucket.calls()).containsExactly("S3:CreateBucket", "S3:PutBucketTagging", "S3:PutPublicAccessBlock", "S3:PutBucketVersioning");
        assertThat(bucket.differences()).extracting(Object::toString)
                .containsExactly("block-public-access: (new) -> all four settings on", "versioning: (new) -> enabled");

        Run apply = run(tx, EnsureOptions.apply(SYSTEM).withProtections(ALL));
        assertThat(apply.counter().mutating()).as("apply makes exactly the calls the plan listed").isEqualTo(Fixtures.plannedCalls(plan.result()));
        assertThat(protectionsInAws("orders-datomic", tx.get("aws-s3-log-bucket-id").orElseThrow())).isEqualTo(Map.of(
                "deletion-protection", "enabled", "point-in-time-recovery", "enabled",
                "block-public-access", "all four settings on", "versioning", "enabled"));

        withAws(aws -> {
            assertThatThrownBy(() -> aws.dynamoDb(REGION).deleteTable(r -> r.tableName("orders-datomic")))
                    .as("deletion protection refuses DeleteTable").hasMessageContaining("DeletionProtectionEnabled is set to True");
            return null;
        });

        Run again = run(tx, EnsureOptions.apply(SYSTEM).withProtections(ALL).withPlan(true));
        assertThat(again.result().changed()).as("already-on protections are no change").isFalse();
        assertThat(again.result().resources()).allSatisfy(c -> assertThat(c.action()).isEqualTo(ResourceChange.Action.UNCHANGED));
    }

    @Test
    void anUnprotectedTableAndBucketAreUpdatedWithEachProtectionAsADifferenceAndOneTurnedOffByHandComesBack() {
        withAws(aws -> {
            new AwsSetup(aws).table(REGION, "orders-datomic", "id", ScalarAttributeType.S);
            new AwsSetup(aws).bucket(REGION, "orders-logs");
            // one of four: the plan names what is on
            aws.s3(REGION).putPublicAccessBlock(r -> r.bucket("orders-logs").publicAccessBlockConfiguration(c -> c.blockPublicAcls(true)));
            return null;
        });
        PropertiesFile tx = Fixtures.file("transactor.properties", "aws-s3-log-bucket-id=\n", "aws-s3-log-bucket-id=orders-logs\n");
        Run plan = run(tx, EnsureOptions.apply(SYSTEM).withProtections(Protections.DEFAULTS).withPlan(true));
        ResourceChange table = change(plan, ResourceChange.Kind.DYNAMODB_TABLE);
        assertThat(table.action()).isEqualTo(ResourceChange.Action.UPDATE);
        assertThat(table.differences()).containsExactly(
                new ResourceChange.Difference("point-in-time-recovery", "disabled", "enabled"),
                new ResourceChange.Difference("deletion-protection", "disabled", "enabled"));
        assertThat(table.calls()).containsExactly("DynamoDb:UpdateContinuousBackups", "DynamoDb:UpdateTable");
        ResourceChange bucket = change(plan, ResourceChange.Kind.S3_BUCKET);
        assertThat(bucket.action()).isEqualTo(ResourceChange.Action.UPDATE);
        assertThat(bucket.differences()).as("versioning is not asked for by default").containsExactly(
                new ResourceChange.Difference("block-public-access", "only BlockPublicAcls", "all four settings on"));
        assertThat(bucket.calls()).containsExactly("S3:PutPublicAccessBlock");

        Run apply = run(tx, EnsureOptions.apply(SYSTEM).withProtections(Protections.DEFAULTS));
        assertThat(apply.counter().mutating()).containsEntry("DynamoDb:UpdateTable", 1L).containsEntry("DynamoDb:UpdateContinuousBackups", 1L)
                .containsEntry("S3:PutPublicAccessBlock", 1L).doesNotContainKey("S3:PutBucketVersioning")
                .doesNotContainKey("DynamoDb:CreateTable").doesNotContainKey("S3:CreateBucket");
        assertThat(apply.counter().mutating()).isEqualTo(Fixtures.plannedCalls(plan.result()));
        assertThat(protectionsInAws("orders-datomic", "orders-logs")).containsEntry("deletion-protection", "enabled")
                .containsEntry("point-in-time-recovery", "enabled").containsEntry("block-public-access", "all four settings on")
                .containsEntry("versioning", "never enabled");

        // someone turns deletion protection off by hand: the next plan shows exactly that, and apply turns it on again
        withAws(aws -> aws.dynamoDb(REGION).updateTable(r -> r.tableName("orders-datomic").deletionProtectionEnabled(false)));
        Run drifted = run(tx, EnsureOptions.apply(SYSTEM).withProtections(Protections.DEFAULTS).withPlan(true));
        assertThat(Fixtures.lines(drifted.result()).stream().filter(l -> !l.startsWith("unchanged")).toList())
                .containsExactly("update dynamodb-table orders-datomic");
        assertThat(change(drifted, ResourceChange.Kind.DYNAMODB_TABLE).differences())
                .containsExactly(new ResourceChange.Difference("deletion-protection", "disabled", "enabled"));
        Run fix = run(tx, EnsureOptions.apply(SYSTEM).withProtections(Protections.DEFAULTS));
        assertThat(fix.counter().mutating()).isEqualTo(Map.of("DynamoDb:UpdateTable", 1L));
        assertThat(protectionsInAws("orders-datomic", "orders-logs")).containsEntry("deletion-protection", "enabled");
    }

    @Test
    void protectionsOptedOutAreNotTurnedOnAndThoseAlreadyOnAreNeverTurnedOff() {
        PropertiesFile tx = Fixtures.file("transactor.properties");
        run(tx, EnsureOptions.apply(SYSTEM).withProtections(Protections.NONE));
        String bucket = tx.get("aws-s3-log-bucket-id").orElseThrow();
        assertThat(protectionsInAws("orders-datomic", bucket)).as("opted out: created as Datomic creates them").isEqualTo(Map.of(
                "deletion-protection", "disabled", "point-in-time-recovery", "disabled",
                "block-public-access", "none", "versioning", "never enabled"));

        run(tx, EnsureOptions.apply(SYSTEM).withProtections(ALL));
        Map<String, String> on = protectionsInAws("orders-datomic", bucket);

        // every protection opted out again: nothing to do, and what is on stays on
        Run optedOut = run(tx, EnsureOptions.apply(SYSTEM).withProtections(Protections.NONE));
        assertThat(optedOut.counter().mutating()).isEmpty();
        assertThat(optedOut.result().changed()).isFalse();
        assertThat(protectionsInAws("orders-datomic", bucket)).isEqualTo(on).containsEntry("deletion-protection", "enabled");
    }

    @Test
    void theDatomicEnginesPlanShowsNoProtectionItWouldNotTurnOnAndSaysSo() {
        withAws(aws -> {
            new AwsSetup(aws).table(REGION, "orders-datomic", "id", ScalarAttributeType.S);
            return null;
        });
        PropertiesFile tx = Fixtures.file("transactor.properties");
        Run plan = run(tx, EnsureOptions.apply(SYSTEM).withProtections(Protections.DEFAULTS)
                .withDatomicEngine(java.nio.file.Path.of("datomic-home"), Map.of()).withPlan(true));
        assertThat(change(plan, ResourceChange.Kind.DYNAMODB_TABLE).action()).isEqualTo(ResourceChange.Action.UNCHANGED);
        assertThat(plan.result().warnings()).anyMatch(w -> w.startsWith("bin/datomic ensure-transactor does not turn on the storage's protections"));
        assertThat(plan.counter().snapshot()).doesNotContainKey("DynamoDb:DescribeContinuousBackups");
    }

    /** Block Public Access as the plan reads it: each of the four settings counts. */
    @Test
    void blockPublicAccessIsOnlyOnWithAllFourSettings() {
        withAws(aws -> {
            new AwsSetup(aws).bucket(REGION, "orders-logs");
            aws.s3(REGION).putPublicAccessBlock(r -> r.bucket("orders-logs").publicAccessBlockConfiguration(
                    PublicAccessBlockConfiguration.builder().blockPublicAcls(true).ignorePublicAcls(true).blockPublicPolicy(true)
                            .restrictPublicBuckets(false).build()));
            BucketProtections b = new BucketProtections(new EnsureContext(aws, Log.NONE, EnsureOptions.apply(SYSTEM).withProtections(Protections.DEFAULTS)));
            assertThat(b.publicAccessBlock(REGION, "orders-logs")).isEqualTo("only BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy");
            assertThat(b.missing(REGION, "orders-logs").calls).isEqualTo(List.of("S3:PutPublicAccessBlock"));
            return null;
        });
    }
}
