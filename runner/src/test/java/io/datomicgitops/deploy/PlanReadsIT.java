package io.datomicgitops.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.cli.CliRun;
import io.datomicgitops.report.Json;
import io.datomicgitops.testing.ConfigRepoFixture;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a plan reads, against the sandbox: a deployed stack with nothing changed is read once per thing (one
 * DescribeStacks, one GetTemplate, one change set, the account once per run), and a preview made ahead of the
 * ensure plans is redone when they plan a new key, leaving no change set behind.
 */
@ExtendWith(SandboxExtension.class)
class PlanReadsIT {
    private static final String TX = "stacks/demo/transactor.properties";

    @TempDir
    Path tmp;

    Sandbox sandbox;

    @BeforeEach
    void reset(Sandbox sandbox) {
        this.sandbox = sandbox;
        sandbox.reset();
    }

    private static JsonNode json(Path p) throws Exception {
        return Json.mapper().readTree(Files.readString(p));
    }

    private ConfigRepoFixture deployed(String... extraStacks) {
        ConfigRepoFixture repo;
        try {
            repo = ConfigRepoFixture.create(tmp, sandbox, extraStacks);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        assertThat(repo.checkout().exitCode()).isZero();
        CliRun apply = repo.run("apply", "--dir", repo.clone.toString(), "--approved-by", "alice", "--report", tmp.resolve("apply.json").toString());
        assertThat(apply.exitCode()).as(apply.err()).isZero();
        return repo;
    }

    private JsonNode plan(ConfigRepoFixture repo, int expectedExit) throws Exception {
        Path report = tmp.resolve("plan.json");
        CliRun plan = repo.run("plan", "--dir", repo.clone.toString(), "--report", report.toString(), "--plan-md", tmp.resolve("plan.md").toString());
        assertThat(plan.exitCode()).as(plan.out() + plan.err()).isEqualTo(expectedExit);
        return json(report);
    }

    /** The plan's own change sets still on the stack (the sandbox also keeps the executed ones of the apply). */
    private int planChangeSetsLeft(String stack) {
        try (AwsClients aws = sandbox.clients()) {
            return (int) aws.cloudFormation(null).listChangeSets(r -> r.stackName(stack)).summaries().stream()
                    .filter(c -> c.changeSetName().startsWith("datomic-gitops-plan-")).count();
        }
    }

    @Test
    void aDeployedUnchangedStackIsReadOncePerThing() throws Exception {
        ConfigRepoFixture repo = deployed("second");

        JsonNode report = plan(repo, 0);
        JsonNode calls = report.path("awsCalls").path("byOperation");
        assertThat(report.path("awsCalls").path("mutating").asLong()).isZero();
        assertThat(calls.path("Sts:GetCallerIdentity").asLong()).as("the account, once per run: " + calls).isEqualTo(1);
        assertThat(calls.path("Ec2:DescribeVpcs").asLong()).as("the region's default VPC, once per run: " + calls).isEqualTo(1);
        assertThat(calls.path("S3:ListBuckets").asLong()).as("the buckets, once per plan: " + calls).isEqualTo(1);
        assertThat(calls.path("Ec2:DescribeSecurityGroups").asLong()).as("the VPC's security groups, once per plan: " + calls).isEqualTo(1);
        for (String op : new String[]{"CloudFormation:DescribeStacks", "AutoScaling:DescribeAutoScalingGroups", "Ec2:DescribeLaunchTemplates",
                "Ec2:DescribeInstances"}) {
            assertThat(calls.path(op).asLong()).as(op + ", the region's stacks and groups, once per plan of many: " + calls).isEqualTo(1);
        }
        List<String> iam = new ArrayList<>();
        calls.fieldNames().forEachRemaining(op -> { if (op.startsWith("Iam:")) iam.add(op + "=" + calls.path(op).asLong()); });
        assertThat(iam).as("the account's roles, policies and profiles: one bulk read per run").containsExactly("Iam:GetAccountAuthorizationDetails=1");
        for (String op : new String[]{"CloudFormation:GetTemplate", "CloudFormation:CreateChangeSet",
                "CloudFormation:DeleteChangeSet", "CloudFormation:ListStackResources"}) {
            assertThat(calls.path(op).asLong()).as(op + " per stack: " + calls).isEqualTo(2);
        }
        assertThat(report.path("stacks").path("demo").path("changes").asBoolean()).isFalse();
        assertThat(report.path("stacks").path("second").path("changes").asBoolean()).isFalse();
        assertThat(planChangeSetsLeft("demo-datomic-transactor")).isZero();
    }

    @Test
    void aKeyTheEnsurePlanWritesRedoesThePreviewMadeAheadOfIt() throws Exception {
        ConfigRepoFixture repo = ConfigRepoFixture.create(tmp, sandbox);
        String declared = repo.remoteFile(TX).replace("# aws-s3-log-bucket-id=\n", "# aws-s3-log-bucket-id=\naws-s3-log-bucket-id=\n");
        repo.push(Map.of(TX, declared), "rotate logs to S3");
        assertThat(repo.checkout().exitCode()).isZero();
        CliRun apply = repo.run("apply", "--dir", repo.clone.toString(), "--approved-by", "alice", "--report", tmp.resolve("apply.json").toString());
        assertThat(apply.exitCode()).as(apply.err()).isZero();
        assertThat(repo.remoteFile(TX)).containsPattern("\naws-s3-log-bucket-id=datomic-logs-");
        // the generated name is lost from the file: the ensure plan finds it again by its tag and plans to write it back,
        // so the template to preview is the deployed one, not the one the files as they are would make
        repo.push(Map.of(TX, repo.remoteFile(TX).replaceAll("\naws-s3-log-bucket-id=datomic-logs-.*\n", "\naws-s3-log-bucket-id=\n")),
                "an edit that lost the bucket name");
        assertThat(repo.checkout().exitCode()).isZero();

        JsonNode report = plan(repo, 2);
        JsonNode demo = report.path("stacks").path("demo");
        assertThat(demo.path("keysToWrite")).extracting(JsonNode::asText).contains("transactor.properties:aws-s3-log-bucket-id");
        assertThat(demo.path("changeSetChanges").asInt()).as("the preview of the planned files, which the stack already runs: " + demo)
                .isZero();
        JsonNode calls = report.path("awsCalls").path("byOperation");
        assertThat(calls.path("CloudFormation:CreateChangeSet").asLong()).as("the preview ahead, and the one redone: " + calls).isEqualTo(2);
        assertThat(calls.path("CloudFormation:DeleteChangeSet").asLong()).isEqualTo(2);
        assertThat(report.path("awsCalls").path("mutating").asLong()).isZero();
        assertThat(planChangeSetsLeft("demo-datomic-transactor")).isZero();
    }
}
