package io.datomicgitops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.report.Json;
import io.datomicgitops.testing.ConfigRepoFixture;
import io.datomicgitops.testing.GitDaemon;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import io.datomicgitops.testing.TestRepos;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code drift --push-branch} against the sandbox and a git daemon: after hand-made changes in AWS, the stack's
 * drift/demo branch gets one commit on top of main that makes the files say what AWS runs (cf.json as deployed, the
 * table's deletion protection opted out of), with what no file can say (an inline policy edited by hand) in its
 * message; main is left alone. Run again it is up to date; after main moved (and lost a name AWS still has) it is
 * replaced on top of it, the name written back; once a person added a commit to it, it is never pushed over.
 */
@ExtendWith(SandboxExtension.class)
class DriftBranchIT {
    private static final String BRANCH = "refs/heads/drift/demo";

    @TempDir
    Path tmp;

    @Test
    void eachDriftedStackGetsABranchThatBringsGitInLineWithAwsUpdatedOnlyOverItsOwnCommits(Sandbox sandbox) throws Exception {
        sandbox.reset();
        ConfigRepoFixture repo = ConfigRepoFixture.create(tmp.resolve("repo"), sandbox);
        try (GitDaemon daemon = GitDaemon.start(tmp)) {
            String url = daemon.url(repo.bare);
            assertThat(repo.run("checkout", "--repo", url, "--dir", repo.clone.toString(), "--report", tmp.resolve("c.json").toString()).exitCode()).isZero();
            CliRun apply = repo.run("apply", "--dir", repo.clone.toString(), "--approved-by", "alice", "--report", tmp.resolve("apply.json").toString());
            assertThat(apply.exitCode()).as(apply.err()).isZero();
            CliRun clean = drift(repo, "clean");
            assertThat(clean.exitCode()).as(clean.out() + clean.err()).isZero();
            assertThat(branch(repo)).as("no drift, no branch").isNull();

            handMadeChanges(sandbox);
            String mainBefore = main(repo);
            CliRun first = drift(repo, "first");
            assertThat(first.exitCode()).as(first.out() + first.err()).isEqualTo(2);
            assertThat(first.out()).containsPattern("drift: drift/demo created at [0-9a-f]{10}: 2 difference\\(s\\) in the files, "
                    + "1 listed in its message for the reviewer");
            assertThat(main(repo)).as("main is left alone").isEqualTo(mainBefore);
            RevCommit fix = commit(repo, branch(repo));
            assertThat(fix.getParent(0).name()).as("one commit on top of main").isEqualTo(mainBefore);
            assertThat(Json.mapper().readTree(file(repo, fix, "stacks/demo/cf.json")).path("Description").asText()).isEqualTo("edited in the console");
            assertThat(file(repo, fix, "stacks/demo/deploy.properties")).contains("table-deletion-protection=false");
            assertThat(file(repo, fix, "stacks/demo/transactor.properties")).isEqualTo(repo.remoteFile("stacks/demo/transactor.properties"));
            assertThat(fix.getFullMessage()).startsWith("drift(demo): bring git in line with AWS (2 of 3 difference(s))")
                    .contains("In the files:\n- template demo-datomic-transactor Description: git as in cf.json, AWS different\n"
                            + "- dynamodb-table demo-datomic deletion-protection: git enabled, AWS disabled\n")
                    .contains("Not expressible in the files (settle them in AWS, or by hand in git):\n"
                            + "- iam-policy datomic-aws-peer/demo-datomic-peer document: git {")
                    .contains("Phase: drift\nStack: demo\n");

            CliRun again = drift(repo, "again");
            assertThat(again.exitCode()).isEqualTo(2);
            assertThat(again.out()).contains("drift: drift/demo up to date at " + fix.name().substring(0, 10));
            assertThat(branch(repo)).isEqualTo(fix.name());

            // main moves on, and a person drops a name the apply wrote (the role is still there in AWS): the tool's commit
            // is replaced by one on top of the new main, which writes the name back
            String tx = repo.remoteFile("stacks/demo/transactor.properties");
            assertThat(tx).contains("\naws-peer-role=datomic-aws-peer\n");
            String readme = repo.push(Map.of("README.md", "# our config\n",
                    "stacks/demo/transactor.properties", tx.replace("\naws-peer-role=datomic-aws-peer\n", "\n")), "readme; peer role");
            assertThat(repo.run("checkout", "--repo", url, "--dir", repo.clone.toString(), "--report", tmp.resolve("c2.json").toString()).exitCode()).isZero();
            CliRun moved = drift(repo, "moved");
            assertThat(moved.out()).contains("drift: drift/demo updated at ");
            RevCommit replaced = commit(repo, branch(repo));
            assertThat(replaced.getParent(0).name()).isEqualTo(readme);
            assertThat(file(repo, replaced, "README.md")).isEqualTo("# our config\n");
            assertThat(file(repo, replaced, "stacks/demo/deploy.properties")).contains("table-deletion-protection=false");
            assertThat(file(repo, replaced, "stacks/demo/transactor.properties")).isEqualTo(tx);
            assertThat(replaced.getFullMessage()).contains("- key transactor.properties:aws-peer-role value: git absent, AWS datomic-aws-peer\n")
                    .contains("Careful: git held changes not deployed yet");

            // a reviewer adds a commit to the branch: it is theirs now, and never pushed over
            String review = TestRepos.pushChange(repo.bare, tmp.resolve("reviewer"), "drift/demo",
                    Map.of("stacks/demo/NOTES.md", "keep protection on\n"), "review: turn it back on instead");
            CliRun refused = drift(repo, "refused");
            assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(4);
            assertThat(refused.out()).contains("drift: drift/demo not pushed: the branch drift/demo holds commits that are not the tool's: "
                    + review.substring(0, 10) + " (");
            assertThat(refused.err()).contains("review: turn it back on instead").contains("merge or close that branch's review, or delete the branch");
            assertThat(branch(repo)).as("the reviewer's commit stays on top").isEqualTo(review);
        }
    }

    private CliRun drift(ConfigRepoFixture repo, String name) {
        return repo.run("drift", "--dir", repo.clone.toString(), "--push-branch", "--report", tmp.resolve(name + ".json").toString());
    }

    /** An inline policy edited by hand (no file can say it), the stack's description edited, deletion protection off. */
    static void handMadeChanges(Sandbox sandbox) throws Exception {
        String stackName = "demo-datomic-transactor";
        try (AwsClients aws = sandbox.clients()) {
            aws.iam().putRolePolicy(r -> r.roleName("datomic-aws-peer").policyName("demo-datomic-peer").policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"dynamodb:*\",\"Resource\":\"*\"}]}"));
            String body = aws.cloudFormation("us-east-1").getTemplate(r -> r.stackName(stackName)).templateBody();
            JsonNode template = Json.mapper().readTree(body);
            ((ObjectNode) template).put("Description", "edited in the console");
            List<software.amazon.awssdk.services.cloudformation.model.Parameter> params = aws.cloudFormation("us-east-1")
                    .describeStacks(r -> r.stackName(stackName)).stacks().get(0).parameters().stream()
                    .map(p -> software.amazon.awssdk.services.cloudformation.model.Parameter.builder().parameterKey(p.parameterKey())
                            .usePreviousValue(true).build()).toList();
            aws.cloudFormation("us-east-1").updateStack(r -> r.stackName(stackName).templateBody(Json.write(template)).parameters(params)
                    .capabilities(software.amazon.awssdk.services.cloudformation.model.Capability.CAPABILITY_IAM));
            aws.dynamoDb("us-east-1").updateTable(r -> r.tableName("demo-datomic").deletionProtectionEnabled(false));
        }
    }

    private static String main(ConfigRepoFixture repo) throws Exception {
        return ref(repo, "refs/heads/main");
    }

    private static String branch(ConfigRepoFixture repo) throws Exception {
        return ref(repo, BRANCH);
    }

    private static String ref(ConfigRepoFixture repo, String name) throws Exception {
        try (Git git = Git.open(repo.bare.toFile())) {
            ObjectId id = git.getRepository().resolve(name);
            return id == null ? null : id.name();
        }
    }

    private static RevCommit commit(ConfigRepoFixture repo, String id) throws Exception {
        try (Git git = Git.open(repo.bare.toFile())) {
            return git.getRepository().parseCommit(ObjectId.fromString(id));
        }
    }

    private static String file(ConfigRepoFixture repo, RevCommit commit, String path) throws Exception {
        try (Git git = Git.open(repo.bare.toFile())) {
            Repository r = git.getRepository();
            try (TreeWalk tw = TreeWalk.forPath(r, path, r.parseCommit(commit).getTree())) {
                return tw == null ? null : new String(r.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
            }
        }
    }
}
