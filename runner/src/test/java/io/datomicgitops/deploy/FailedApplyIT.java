package io.datomicgitops.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.cli.CliRun;
import io.datomicgitops.report.Json;
import io.datomicgitops.testing.ConfigRepoFixture;
import io.datomicgitops.testing.GitDaemon;
import io.datomicgitops.testing.RollbackProxy;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deployment that fails after the stack update started leaves git saying what AWS runs: CloudFormation rolls the
 * update back (the sandbox does not roll back, so a proxy in front of it plays CloudFormation's part), and the apply
 * writes one commit that returns the stack's files to the last deployment, the generated names it wrote kept, with
 * the failing events in its body (secrets masked) and a {@code Result: rolled-back} trailer, tags the failure, and
 * ends with the stack's error. The next plan and history name the failure.
 */
@ExtendWith(SandboxExtension.class)
class FailedApplyIT {
    private static final String TX = "stacks/demo/transactor.properties";
    private static final String CF = "stacks/demo/cf.properties";
    private static final String TEMPLATE = "stacks/demo/cf.json";
    private static final String RECORD = "stacks/demo/deployment.json";
    private static final String STACK = "demo-datomic-transactor";
    /** A secret of the stack that the failing events echo: masked wherever the tool writes them. */
    private static final String SECRET = "MEMCACHED-PASSWORD-5d1e-never-leak";

    @TempDir
    Path tmp;

    Sandbox sandbox;

    @BeforeEach
    void reset(Sandbox sandbox) {
        this.sandbox = sandbox;
        sandbox.reset();
    }

    @Test
    void aRolledBackUpdateReturnsGitToTheLastDeploymentKeepingTheNamesItCreated() throws Exception {
        ConfigRepoFixture repo = ConfigRepoFixture.create(tmp, sandbox);
        String clone = repo.clone.toString();
        // a secret the events may echo (the example stack needs none: Datomic 1.0.7277 needs no license key)
        repo.env.put("DATOMIC_MEMCACHED_PASSWORD", SECRET);
        repo.push(Map.of(TX, repo.remoteFile(TX).replace("aws-dynamodb-table=demo-datomic\n",
                "memcached-password=${env:DATOMIC_MEMCACHED_PASSWORD}\naws-dynamodb-table=demo-datomic\n")), "a memcached password");
        assertThat(repo.checkout().exitCode()).isZero();
        CliRun first = repo.run("apply", "--dir", clone, "--approved-by", "alice", "--report", tmp.resolve("first.json").toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        String deployedTemplate = repo.remoteFile(TEMPLATE);
        String deployedRecord = repo.remoteFile(RECORD);
        String deployedTx = repo.remoteFile(TX);
        String deployedCf = repo.remoteFile(CF);

        // a bigger instance, more memory index and a log bucket: ensure-transactor creates the bucket (a new generated name),
        // the update fails
        String change = repo.push(Map.of(
                TX, deployedTx.replace("# aws-s3-log-bucket-id=\n", "# aws-s3-log-bucket-id=\naws-s3-log-bucket-id=\n")
                        .replace("memory-index-max=512m", "memory-index-max=768m"),
                CF, deployedCf.replace("aws-instance-type=m5.large", "aws-instance-type=m5.xlarge")), "m5.xlarge, with a log bucket");
        assertThat(repo.checkout().exitCode()).isZero();
        CliRun failed;
        try (RollbackProxy cloudFormation = RollbackProxy.start(sandbox.endpoint())) {
            cloudFormation.rollBackNextUpdate(STACK, "Resource handler returned message: \"memcached password " + SECRET
                    + " rejected: m5.xlarge is not supported in us-east-1e\"");
            failed = repo.run("apply", "--dir", clone, "--allow-new-resources", "--approved-by", "bob", "--build-url", "https://ci.example/job/9/",
                    "--endpoint-url", cloudFormation.endpoint().toString(), "--report", tmp.resolve("failed.json").toString());
            assertThat(cloudFormation.rolledBack()).as(failed.out() + failed.err()).isTrue();
        }
        assertThat(failed.exitCode()).as("the stack's error stays the run's: " + failed.err()).isEqualTo(1);
        assertThat(failed.err()).contains("the update failed and was rolled back", "returned to it, tagged deploy/demo/")
                .doesNotContain(SECRET);
        String todo = Json.mapper().readTree(Files.readString(tmp.resolve("failed.json"))).path("error").path("todo").asText();

        // git = AWS: the template the stack runs, its inputs as deployed, the generated bucket name kept
        String bucket;
        try (AwsClients aws = sandbox.clients()) {
            String running = aws.cloudFormation(null).getTemplate(r -> r.stackName(STACK)).templateBody();
            assertThat(repo.remoteFile(TEMPLATE)).isEqualTo(running).isEqualTo(deployedTemplate);
            Matcher name = Pattern.compile("(?m)^aws-s3-log-bucket-id=(\\S+)$").matcher(repo.remoteFile(TX));
            assertThat(name.find()).as(repo.remoteFile(TX)).isTrue();
            bucket = name.group(1);
            aws.s3(null).headBucket(r -> r.bucket(bucket)); // the resource the kept name names exists
        }
        assertThat(repo.remoteFile(TX)).as("the person's setting goes back, the generated name stays").isEqualTo(deployedTx.replace("# aws-s3-log-bucket-id=\n",
                "# aws-s3-log-bucket-id=\naws-s3-log-bucket-id=" + bucket + "\n"));
        assertThat(repo.remoteFile(CF)).isEqualTo(deployedCf);
        assertThat(repo.remoteFile(RECORD)).as("deployment.json still describes the deployment that runs").isEqualTo(deployedRecord);

        // one commit, the tool's, after the human change (which stays in history)
        List<RevCommit> log = repo.remoteLog();
        RevCommit back = log.get(0);
        assertThat(back.getShortMessage()).isEqualTo("rollback(demo): return transactor.properties, cf.properties, cf.json to what AWS runs "
                + "after the failed apply of " + change.substring(0, 10));
        assertThat(back.getFullMessage()).contains("UPDATE_FAILED", "m5.xlarge is not supported", "Stack events:",
                        "Phase: rollback\nStack: demo\nApproved-by: bob\nBuild-URL: https://ci.example/job/9/\nResult: rolled-back\nAttempted: " + change)
                .doesNotContain(SECRET);
        assertThat(log).extracting(RevCommit::getName).contains(change);
        String failedTag = failedTag(repo, back);
        assertThat(failedTag).matches("deploy/demo/\\d{8}T\\d{6}Z-failed");
        assertThat(todo).isEqualTo("git was returned to what AWS runs in " + back.getName().substring(0, 10) + " (tag " + failedTag
                + "); to deploy the change again, fix the cause named above, then revert " + back.getName().substring(0, 10) + " through a pull request");

        // the next apply finds nothing of its own to finish and the return recognised as the tool's; the plan names the failure
        assertThat(repo.checkout().exitCode()).isZero();
        Path planMd = tmp.resolve("plan.md");
        CliRun plan = repo.run("plan", "--dir", clone, "--report", tmp.resolve("plan.json").toString(), "--plan-md", planMd.toString());
        assertThat(plan.exitCode()).as(plan.err()).isIn(0, 2);
        String lastFailure = "last apply of " + change.substring(0, 10) + " failed at ";
        assertThat(Files.readString(planMd)).contains("**Last apply failed:** " + lastFailure, "(rolled-back)", "(tag " + failedTag + ")",
                "revert " + back.getName().substring(0, 10) + " through a pull request");
        JsonNode summary = Json.mapper().readTree(Files.readString(tmp.resolve("plan.json"))).path("stacks").path("demo");
        assertThat(summary.path("lastFailure").asText()).startsWith(lastFailure);
        assertThat(plan.err()).contains(lastFailure);

        CliRun history = repo.run("history", "demo", "--dir", clone);
        assertThat(history.exitCode()).as(history.err()).isZero();
        assertThat(history.out()).contains(failedTag + "  FAILED (rolled-back, UPDATE_ROLLBACK_COMPLETE)",
                "attempted " + change.substring(0, 10) + ": the update failed and was rolled back");
    }

    /**
     * The stack update succeeded, the replacement failed: AWS runs this deployment's template, so git already says what
     * runs and nothing is returned; the failure is tagged, deployment.json stays, and the next plan replaces the rest.
     */
    @Test
    void aFailedReplacementLeavesTheDeployedTemplateInGitAndTagsTheFailure() throws Exception {
        ConfigRepoFixture repo = ConfigRepoFixture.create(tmp, sandbox);
        String clone = repo.clone.toString();
        assertThat(repo.checkout().exitCode()).isZero();
        assertThat(repo.run("apply", "--dir", clone, "--approved-by", "alice", "--report", tmp.resolve("first.json").toString()).exitCode()).isZero();
        String deployedTemplate = repo.remoteFile(TEMPLATE);
        String deployedRecord = repo.remoteFile(RECORD);
        String change = repo.push(Map.of(CF, repo.remoteFile(CF).replace("aws-instance-type=m5.large", "aws-instance-type=m5.xlarge")), "m5.xlarge");
        assertThat(repo.checkout().exitCode()).isZero();

        CliRun failed;
        try (RollbackProxy aws = RollbackProxy.start(sandbox.endpoint())) {
            aws.failNext("TerminateInstanceInAutoScalingGroup", "injected: the group refused to terminate the old transactor");
            failed = repo.run("apply", "--dir", clone, "--approved-by", "bob", "--endpoint-url", aws.endpoint().toString(),
                    "--report", tmp.resolve("failed.json").toString());
        }
        assertThat(failed.exitCode()).as(failed.err()).isNotZero();
        assertThat(failed.err()).contains("refused to terminate the old transactor", "the deployment failed (stopped)");

        RevCommit head = repo.remoteLog().get(0);
        assertThat(head.getShortMessage()).as("nothing to return: the stack runs the new template").startsWith("create-cf-template(demo): ");
        try (AwsClients aws = sandbox.clients()) {
            String running = aws.cloudFormation(null).getTemplate(r -> r.stackName(STACK)).templateBody();
            assertThat(repo.remoteFile(TEMPLATE)).isEqualTo(running).isNotEqualTo(deployedTemplate);
        }
        assertThat(repo.remoteFile(RECORD)).isEqualTo(deployedRecord);
        String failedTag = failedTag(repo, head);
        assertThat(failedTag).endsWith("-failed");
        assertThat(tagMessage(repo, failedTag)).contains("Attempted: " + change, "Result: stopped", "Stack-Status: UPDATE_COMPLETE");

        assertThat(repo.checkout().exitCode()).isZero();
        CliRun plan = repo.run("plan", "--dir", clone, "--report", tmp.resolve("plan.json").toString(), "--plan-md", tmp.resolve("plan.md").toString());
        assertThat(plan.exitCode()).as(plan.err()).isEqualTo(2);
        JsonNode summary = Json.mapper().readTree(Files.readString(tmp.resolve("plan.json"))).path("stacks").path("demo");
        assertThat(summary.path("instancesToReplace").asInt()).as("the old transactor still runs").isEqualTo(1);
        assertThat(summary.path("lastFailure").asText()).startsWith("last apply of " + change.substring(0, 10) + " failed at ")
                .contains("(stopped): ", "refused to terminate the old transactor", "(tag " + failedTag + ")");

        CliRun again = repo.run("apply", "--dir", clone, "--approved-by", "bob", "--report", tmp.resolve("again.json").toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(repo.checkout().exitCode()).isZero();
        CliRun after = repo.run("plan", "--dir", clone, "--report", tmp.resolve("after.json").toString(), "--plan-md", tmp.resolve("after.md").toString());
        assertThat(after.exitCode()).as(after.err()).isZero();
        assertThat(Json.mapper().readTree(Files.readString(tmp.resolve("after.json"))).path("stacks").path("demo").has("lastFailure"))
                .as("a deployment since: no failure to name").isFalse();
    }

    /**
     * The return cannot be pushed (the remote refuses it): the stack's error stays the run's error and exit code, and
     * the run says that git could not be brought in line, with what to do.
     */
    @Test
    void aReturnThatCannotBePushedDoesNotHideTheStacksError() throws Exception {
        ConfigRepoFixture repo = ConfigRepoFixture.create(tmp, sandbox);
        try (GitDaemon daemon = GitDaemon.start(tmp)) {
            String clone = repo.clone.toString();
            assertThat(repo.run("checkout", "--repo", daemon.url(repo.bare), "--dir", clone, "--report", tmp.resolve("c.json").toString()).exitCode()).isZero();
            assertThat(repo.run("apply", "--dir", clone, "--approved-by", "alice", "--report", tmp.resolve("first.json").toString()).exitCode()).isZero();
            repo.push(Map.of(CF, repo.remoteFile(CF).replace("aws-instance-type=m5.large", "aws-instance-type=m5.xlarge")), "m5.xlarge");
            assertThat(repo.run("checkout", "--repo", daemon.url(repo.bare), "--dir", clone, "--report", tmp.resolve("c2.json").toString()).exitCode()).isZero();
            Path hook = repo.bare.resolve("hooks/pre-receive");
            Files.createDirectories(hook.getParent());
            Files.writeString(hook, "#!/bin/sh\nwhile read old new ref; do\n"
                    + "  if git log --format=%B \"$old..$new\" 2>/dev/null | grep -q '^Phase: rollback'; then echo 'no rollbacks here' >&2; exit 1; fi\n"
                    + "done\nexit 0\n");
            hook.toFile().setExecutable(true);

            CliRun failed;
            try (RollbackProxy cloudFormation = RollbackProxy.start(sandbox.endpoint())) {
                cloudFormation.rollBackNextUpdate(STACK, "m5.xlarge is not supported in us-east-1e");
                failed = repo.run("apply", "--dir", clone, "--approved-by", "bob", "--endpoint-url", cloudFormation.endpoint().toString(),
                        "--report", tmp.resolve("failed.json").toString());
            }
            assertThat(failed.exitCode()).as(failed.err()).isEqualTo(1);
            assertThat(failed.err()).contains("could not record the failed deployment in git", "return stacks/demo to the last deployment by hand")
                    .containsPattern("(?m)^error: .*the update failed and was rolled back");
            JsonNode error = Json.mapper().readTree(Files.readString(tmp.resolve("failed.json"))).path("error");
            assertThat(error.path("exitCode").asInt()).isEqualTo(1);
            assertThat(error.path("message").asText()).startsWith("the update failed and was rolled back");
        }
    }

    private static String tagMessage(ConfigRepoFixture repo, String tag) throws Exception {
        try (Git git = Git.open(repo.bare.toFile()); org.eclipse.jgit.revwalk.RevWalk walk = new org.eclipse.jgit.revwalk.RevWalk(git.getRepository())) {
            return walk.parseTag(git.getRepository().resolve("refs/tags/" + tag)).getFullMessage();
        }
    }

    private static String failedTag(ConfigRepoFixture repo, RevCommit at) throws Exception {
        try (Git git = Git.open(repo.bare.toFile())) {
            for (Ref t : git.tagList().call()) {
                Ref peeled = git.getRepository().getRefDatabase().peel(t);
                String target = peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId().getName() : t.getObjectId().getName();
                if (t.getName().endsWith("-failed") && target.equals(at.getName())) return t.getName().substring("refs/tags/".length());
            }
        }
        return "(no -failed tag on " + at.getName() + ")";
    }
}
