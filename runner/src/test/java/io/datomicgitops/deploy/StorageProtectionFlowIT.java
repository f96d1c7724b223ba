package io.datomicgitops.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.cli.CliRun;
import io.datomicgitops.report.Json;
import io.datomicgitops.testing.ConfigRepoFixture;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storage's protections through the GitOps flow, with the example repo's deploy.properties (the defaults): the plan
 * shows them, apply turns them on, a protection turned off by hand is a pending change the next plan names, and
 * apply turns it on again.
 */
@ExtendWith(SandboxExtension.class)
class StorageProtectionFlowIT {
    private static final String TX = "stacks/demo/transactor.properties";

    @TempDir
    Path tmp;

    private static JsonNode json(Path p) throws Exception {
        return Json.mapper().readTree(Files.readString(p));
    }

    @Test
    void thePlanShowsTheProtectionsApplyTurnsThemOnAndOneTurnedOffByHandIsPlannedAgain(Sandbox sandbox) throws Exception {
        sandbox.reset();
        ConfigRepoFixture repo = ConfigRepoFixture.create(tmp.resolve("repo"), sandbox);
        repo.push(Map.of(TX, repo.remoteFile(TX).replace("# aws-s3-log-bucket-id=\n", "# aws-s3-log-bucket-id=\naws-s3-log-bucket-id=\n")),
                "rotate the transactor's logs to S3");
        assertThat(repo.checkout().exitCode()).isZero();

        Path planMd = tmp.resolve("plan.md");
        CliRun plan = repo.run("plan", "--dir", repo.clone.toString(), "--report", tmp.resolve("plan.json").toString(), "--plan-md", planMd.toString());
        assertThat(plan.exitCode()).as(plan.err()).isEqualTo(2);
        assertThat(Files.readString(planMd)).contains(
                "| **create** | dynamodb-table | demo-datomic | deletion-protection: (new) -> enabled; point-in-time-recovery: (new) -> enabled |",
                "block-public-access: (new) -> all four settings on |");

        CliRun apply = repo.run("apply", "--dir", repo.clone.toString(), "--approved-by", "alice", "--report", tmp.resolve("apply.json").toString());
        assertThat(apply.exitCode()).as(apply.err()).isZero();
        String bucket = repo.remoteFile(TX).lines().filter(l -> l.startsWith("aws-s3-log-bucket-id=")).findFirst().orElseThrow()
                .substring("aws-s3-log-bucket-id=".length());
        try (AwsClients aws = sandbox.clients()) {
            assertThat(aws.dynamoDb("us-east-1").describeTable(r -> r.tableName("demo-datomic")).table().deletionProtectionEnabled()).isTrue();
            assertThat(aws.dynamoDb("us-east-1").describeContinuousBackups(r -> r.tableName("demo-datomic")).continuousBackupsDescription()
                    .pointInTimeRecoveryDescription().pointInTimeRecoveryStatusAsString()).isEqualTo("ENABLED");
            assertThat(aws.s3("us-east-1").getPublicAccessBlock(r -> r.bucket(bucket)).publicAccessBlockConfiguration().restrictPublicBuckets()).isTrue();
            // someone turns point-in-time recovery off by hand
            aws.dynamoDb("us-east-1").updateContinuousBackups(r -> r.tableName("demo-datomic")
                    .pointInTimeRecoverySpecification(s -> s.pointInTimeRecoveryEnabled(false)));
        }

        Path drift = tmp.resolve("drift.json");
        CliRun replan = repo.run("plan", "--dir", repo.clone.toString(), "--report", drift.toString(), "--plan-md", tmp.resolve("drift.md").toString());
        assertThat(replan.exitCode()).as("a protection turned off is a pending change: %s", replan.err()).isEqualTo(2);
        assertThat(Files.readString(tmp.resolve("drift.md")))
                .contains("| **update** | dynamodb-table | demo-datomic | point-in-time-recovery: disabled -> enabled |");
        assertThat(json(drift).path("stacks").path("demo").path("resourcesToUpdate").asInt()).isEqualTo(1);

        CliRun fix = repo.run("apply", "--dir", repo.clone.toString(), "--approved-by", "alice", "--report", tmp.resolve("fix.json").toString());
        assertThat(fix.exitCode()).as(fix.err()).isZero();
        assertThat(json(tmp.resolve("fix.json")).path("awsCalls").path("byOperation").path("DynamoDb:UpdateContinuousBackups").asLong()).isEqualTo(1);
        CliRun quiet = repo.run("plan", "--dir", repo.clone.toString(), "--report", tmp.resolve("quiet.json").toString(),
                "--plan-md", tmp.resolve("quiet.md").toString());
        assertThat(quiet.exitCode()).as("already-on protections are no change: %s", quiet.out()).isZero();
    }
}
