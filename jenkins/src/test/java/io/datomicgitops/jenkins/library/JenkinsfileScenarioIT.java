package io.datomicgitops.jenkins.library;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.jenkins.harness.Build;
import io.datomicgitops.jenkins.harness.Credentials;
import io.datomicgitops.jenkins.harness.GitScm;
import io.datomicgitops.jenkins.harness.Job;
import io.datomicgitops.report.Json;
import io.datomicgitops.testing.GitSshServer;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import io.datomicgitops.testing.TestRepos;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scenarios, end to end: Jenkinsfile.example (and the two-line datomicDeploy form) in the harness, the real
 * runner jar on the agent, the AWS sandbox, and the config repo on a real SSH git server with the key in the
 * Jenkins credentials store. The config repo is examples/config-repo.
 */
@ExtendWith(SandboxExtension.class)
class JenkinsfileScenarioIT extends PipelineTestSupport {
    static final String TWO_LINE = """
            @Library('datomic-gitops') _
            datomicDeploy(submitter: 'datomic-approvers', gitCredentialsId: 'datomic-config-repo', awsCredentialsId: 'datomic-aws',
                          secrets: [DATOMIC_LICENSE_KEY: 'datomic-license-key'])
            """;

    static final String LICENSE = "license-0f9e8d7c-in-a-jenkins-credential";

    private GitSshServer git;
    private Path bare;
    private String url;

    @BeforeEach
    void setUp(Sandbox sandbox) throws Exception {
        assertThat(runnerCommands()).as("the runner jar's commands").contains("checkout", "plan", "apply");
        sandbox.reset();
        sandbox.env().forEach(jenkins::agentEnv);
        jenkins.agentEnv("DATOMIC_GITOPS_JAR", runnerJar().toString());
        jenkins.credentials().add("datomic-aws", new Credentials.AwsKeys("testing", "testing"));
        jenkins.credentials().add("datomic-aws-plan", new Credentials.AwsKeys("testing", "testing"));
        jenkins.credentials().add("datomic-license-key", new Credentials.SecretText(LICENSE));

        Path key = tmp.resolve("deploy_key");
        GitSshServer.keygen(key, "deploy key passphrase");
        jenkins.credentials().add("datomic-config-repo",
                new Credentials.SshKey("git", Files.readString(key), "deploy key passphrase"));
        Path base = tmp.resolve("git-server");
        Files.createDirectories(base);
        bare = TestRepos.bareWith(base, "main", exampleConfigRepo());
        git = GitSshServer.start(base, Path.of(key + ".pub"), tmp.resolve("hostkey.ser"));
        url = git.url(bare);
        Files.writeString(agentHome.resolve(".ssh/known_hosts"), git.knownHostsLine() + "\n");
    }

    @AfterEach
    void stopGit() throws IOException {
        if (git != null) git.close();
    }

    @Test
    void pullRequestBuildPlansTheMergeJenkinsBuiltAndChangesNothing() throws Exception {
        // a same-repo pull request: branch feature, which GitHub also shows as refs/pull/1/head
        String feature = pushTo("refs/heads/feature", "raise threshold");
        TestRepos.pushChange(bare, tmp.resolve("other"), "main", Map.of("stacks/demo/NOTES", "main moved on\n"), "notes");
        pushRef(feature, "refs/pull/1/head");
        String mainBefore = head("main");
        Job pr = job("config/PR-1", jenkinsfileExample(), Map.of("BRANCH_NAME", "PR-1", "CHANGE_ID", "1",
                "CHANGE_BRANCH", "feature", "CHANGE_TARGET", "main")).scm(GitScm.pullRequestMerged(url, bare, 1, "main"));
        Build b = jenkins.build(pr);
        assertSucceeded(b);
        String planned = plannedRevision(b);
        assertMergeOf(b, planned, mainBefore, feature);
        // the description is the runner's summary line, as report.json gives it (a new stack: the sandbox is empty)
        JsonNode demo = planReport(b).path("stacks").path("demo");
        assertThat(demo.path("summary").asText()).contains("new stack");
        assertThat(b.description()).isEqualTo("datomic-gitops: changes pending at " + planned.substring(0, 10) + ": demo: "
                + demo.path("summary").asText());
        assertThat(b.artifact("datomic-gitops/plan/plan.md")).exists();
        // the plan on the pull request: a check whose text is plan.md
        assertThat(b.steps("publishChecks")).singleElement().satisfies(check -> {
            assertThat(check.arg("text")).isEqualTo(Files.readString(b.artifact("datomic-gitops/plan/plan.md")));
            assertThat(check.arg("title")).isEqualTo(b.description());
        });
        assertThat(b.steps("pullRequest.comment")).as("a check, so no comment as well").isEmpty();
        assertThat(b.steps("input")).isEmpty();
        assertThat(b.steps("node")).as("only the Plan stage takes an agent (when ... beforeAgent)").hasSize(1);
        assertThat(runnerCalls(b)).as("Jenkins' checkout, not the runner's").containsExactly("plan");
        // plan-only credentials: the read-only AWS credential, no git credential
        assertThat(b.steps("withCredentials").toString()).contains("datomic-aws-plan").doesNotContain("datomic-config-repo")
                .as("a plan resolves no secret: the license key is not handed to a pull request").doesNotContain("datomic-license-key");
        assertThat(Files.readString(b.artifact("datomic-gitops/plan/report.json"))).contains("\"mutating\": 0");
        assertThat(head("main")).as("a plan pushes nothing").isEqualTo(mainBefore);
    }

    @Test
    void forkPullRequestWithABranchNamedLikeTheTargetPlansTheForksChange() throws Exception {
        // a fork's branch "main": not a branch of the base repository; GitHub gives it as refs/pull/2/head only
        String mainBefore = head("main");
        String fork = pushTo("refs/pull/2/head", "fork raises threshold");
        Job pr = job("config/PR-2", jenkinsfileExample(), Map.of("BRANCH_NAME", "PR-2", "CHANGE_ID", "2",
                "CHANGE_BRANCH", "main", "CHANGE_FORK", "contributor", "CHANGE_TARGET", "main"))
                .scm(GitScm.pullRequestMerged(url, bare, 2, "main"));
        Build b = jenkins.build(pr);
        assertSucceeded(b);
        assertMergeOf(b, plannedRevision(b), mainBefore, fork);
        assertThat(jenkins.home().resolve("workspace/config_PR-2/datomic-gitops/scm/stacks/demo/transactor.properties"))
                .content().contains("memory-index-threshold=64m");
        assertThat(head("main")).isEqualTo(mainBefore);
    }

    @Test
    void withoutTheChecksApiThePlanIsACommentOnThePullRequest() throws Exception {
        jenkins.withoutPlugin("checks-api");
        Build b = jenkins.build(samePullRequest(3));
        assertSucceeded(b);
        assertThat(b.steps("publishChecks")).isEmpty();
        String planMd = Files.readString(b.artifact("datomic-gitops/plan/plan.md"));
        assertThat(b.steps("pullRequest.comment")).singleElement().satisfies(comment -> assertThat(comment.arg("body"))
                .isEqualTo("**datomic-gitops plan** of " + plannedRevision(b).substring(0, 10) + " ([build](" + b.url() + ")): "
                        + b.description() + "\n\n" + planMd));
        assertThat(b.log()).contains("datomic-gitops: the plan is a comment on the pull request");
    }

    @Test
    void withNeitherChecksNorCommentsThePlanIsInTheBuildDescription() throws Exception {
        jenkins.withoutPlugin("checks-api").withoutPlugin("pipeline-github");
        Build b = jenkins.build(samePullRequest(4));
        assertSucceeded(b);
        assertThat(b.steps("publishChecks")).isEmpty();
        assertThat(b.steps("pullRequest.comment")).isEmpty();
        assertThat(b.description()).startsWith("datomic-gitops: changes pending at " + plannedRevision(b).substring(0, 10) + ": demo: ");
        assertThat(b.artifact("datomic-gitops/plan/plan.md")).exists();
        assertThat(b.log()).contains("datomic-gitops: the plan is in the build description and in the archived plan.md");
    }

    @Test
    void scheduledBuildIsTheDriftCheckAndFindsAChangeMadeByHandInAws(Sandbox sandbox) throws Exception {
        Job main = mainJob(jenkinsfileExample());
        Build deploy = jenkins.build(main);
        deploy.approve("alice", "datomic-approvers");
        assertSucceeded(deploy);
        assertThat(main.property("pipelineTriggers")).as("main has the daily cron").isNotNull();
        assertThat(main.property("buildDiscarder")).isNotNull();

        Build same = jenkins.buildByTimer(main);
        assertSucceeded(same);
        assertThat(same.description()).isEqualTo("datomic-gitops: no drift on main: AWS matches git");
        assertThat(runnerCalls(same)).as("the drift check, not a plan").containsExactly("checkout", "drift");

        // by hand, in AWS: the table's deletion protection turned off
        try (AwsClients aws = sandbox.clients()) {
            aws.dynamoDb("us-east-1").updateTable(r -> r.tableName("demo-datomic").deletionProtectionEnabled(false));
        }
        String before = head("main");
        Build drifted = jenkins.buildByTimer(main);
        assertThat(drifted.result()).as(drifted.log()).isEqualTo("UNSTABLE");
        JsonNode report = Json.mapper().readTree(Files.readString(drifted.artifact("datomic-gitops/drift/report.json")));
        String summary = null;
        for (JsonNode phase : report.path("phases")) {
            if (phase.path("phase").asText().equals("drift")) summary = phase.path("summary").asText();
        }
        assertThat(summary).startsWith("demo (demo-datomic-transactor): ").contains("dynamodb-table demo-datomic");
        assertThat(drifted.description()).isEqualTo("datomic-gitops: drift in demo: " + summary);
        assertThat(drifted.log()).contains("WARNING: datomic-gitops: drift in demo: ");
        assertThat(report.path("awsCalls").path("mutating").asLong()).as("read-only").isZero();
        assertThat(drifted.steps("input")).isEmpty();
        assertThat(runnerCalls(drifted)).containsExactly("checkout", "drift");
        assertThat(head("main")).isEqualTo(before);
    }

    @Test
    void theTwoLineFormsScheduledBuildIsTheDriftCheck() throws Exception {
        Job main = mainJob(TWO_LINE.replace("@Library('datomic-gitops') _",
                "@Library('datomic-gitops') _\nproperties([pipelineTriggers([cron('H 6 * * *')])])"));
        Build first = jenkins.build(main);
        first.abort("alice");
        Build timer = jenkins.buildByTimer(main);
        // nothing deployed yet: a deployment waiting is not drift (the drift found by hand is the other scenario's)
        assertThat(timer.result()).as(timer.log()).isEqualTo("SUCCESS");
        assertThat(timer.description()).isEqualTo("datomic-gitops: no drift on main: AWS matches git");
        assertThat(timer.steps("input")).isEmpty();
        assertThat(runnerCalls(timer)).containsExactly("checkout", "drift");
    }

    @Test
    void theTwoLineFormRefusesTheAuthorOfTheChangeAsApprover() throws Exception {
        Job main = mainJob(TWO_LINE);
        Build first = jenkins.build(main);
        first.abort("alice");
        // dave's change to main: the next build's change log (recorded by datomicDeploy's checkout of the job's SCM)
        try (Git g = Git.cloneRepository().setURI(bare.toUri().toString()).setDirectory(tmp.resolve("dave").toFile()).call()) {
            PersonIdent dave = new PersonIdent("dave", "dave@example.com");
            Files.writeString(tmp.resolve("dave/stacks/demo/NOTES"), "dave's note\n");
            g.add().addFilepattern(".").call();
            g.commit().setMessage("notes").setAuthor(dave).setCommitter(dave).setSign(false).call();
            g.push().call();
        }
        Build second = jenkins.build(main);
        assertThat(second.changes()).as(second.log()).extracting(GitScm.Change::authorId).containsExactly("dave");
        second.approve("dave", "datomic-approvers");
        assertThat(second.pendingInput()).as("still waiting; log:%n%s", second.log()).isNotNull();
        assertThat(second.log()).contains("approval refused: dave authored a change in this build");
        second.abort("erin");
        assertThat(runnerCalls(second)).doesNotContain("apply");
    }

    @Test
    void aPlanOfAnExistingCloneStillRefusesABranchThatMoved() throws Exception {
        String script = """
                @Library('datomic-gitops') _
                def runner = [gitCredentialsId: 'datomic-config-repo', awsCredentialsId: 'datomic-aws',
                              secrets: [DATOMIC_LICENSE_KEY: 'datomic-license-key']]
                def plan
                node {
                    datomicRunner(runner + [command: 'checkout', gitAuth: true, repo: env.URL,
                                            arguments: ['--repo', env.URL, '--branch', 'main', '--dir', 'mine']])
                    plan = datomicPlan(runner + [checkout: false, dir: 'mine', repo: env.URL, branch: 'main'])
                }
                input 'push to main now'
                datomicApply(runner + [plan: plan, approvedBy: 'alice'])
                """;
        Build b = jenkins.build(job("config/main", script, Map.of("BRANCH_NAME", "main", "URL", url)));
        assertThat(b.pendingInput()).as(b.log()).isNotNull();
        String moved = TestRepos.pushChange(bare, tmp.resolve("author"), "main", Map.of("stacks/demo/NOTES", "x\n"), "notes");
        b.approve("alice");
        assertThat(b.result()).as(b.log()).isEqualTo("FAILURE");
        assertThat(b.log()).contains("datomicApply: main moved from").contains("to " + moved + "; nothing was applied");
        assertThat(runnerCalls(b)).doesNotContain("apply");
    }

    @Test
    void mainBuildApprovedDeploysAndRecordsTheApprover() throws Exception {
        Build b = jenkins.build(mainJob(jenkinsfileExample()));
        assertThat(b.pendingInput()).as(b.log()).isNotNull();
        // what the approver reads is the runner's details for the stack, line by line, as report.json gives them
        JsonNode details = planReport(b).path("stacks").path("demo").path("details");
        assertThat(details).isNotEmpty();
        StringBuilder shown = new StringBuilder("Stack demo (" + planReport(b).path("stacks").path("demo").path("stackName").asText() + ")\n");
        details.forEach(line -> shown.append("  ").append(line.asText()).append('\n'));
        assertThat(b.log()).contains(shown.toString());
        assertThat(b.pendingInput().message()).doesNotContain("\n").startsWith("Deploy main ")
                .endsWith("(stacks: demo)? The plan: " + b.url() + "artifact/datomic-gitops/plan/plan.md");
        assertThat(b.steps("input").get(0).inside("node")).isFalse();
        // the controller restarts while the build waits: the plan and the approval survive it
        jenkins.restart();
        b.approve("alice", "datomic-approvers");
        assertSucceeded(b);
        assertThat(runnerCalls(b)).containsExactly("checkout", "plan", "checkout", "apply");
        // the lock: waited for holding no executor, named by config repo and stack
        assertThat(b.steps("lock")).singleElement().satisfies(lock -> {
            assertThat(lock.inside("node")).isFalse();
            assertThat(String.valueOf(lock.arg("resource"))).startsWith("datomic-gitops 127.0.0.1/").endsWith(" demo")
                    .contains(bare.getFileName().toString().replaceFirst("\\.git$", "")).doesNotContain("git@");
        });
        assertThat(b.steps("sh").stream().filter(s -> String.valueOf(s.arg("script")).contains("'apply'")))
                .allSatisfy(s -> assertThat(s.inside("lock")).isTrue());
        assertThat(b.artifact("datomic-gitops/apply/report.json")).exists();
        List<String> messages = messagesSince("main", null);
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("Approved-by: alice").contains("Build-URL: " + b.url()));

        // the runner's push of the deployment record starts a build of main: it ends at once, saying why
        Build own = jenkins.build(b.job());
        assertThat(own.result()).as(own.log()).isEqualTo("NOT_BUILT");
        assertThat(own.description()).startsWith("datomic-gitops: not built: the ").contains("commit(s) this build brings in are the runner's own");
        assertThat(runnerCalls(own)).as("the runner is neither fetched nor run").isEmpty();
        assertThat(own.steps("input")).isEmpty();
    }

    @Test
    void abortedDuringApplySaysTheDeploymentMayBeUnfinished() throws Exception {
        Build b = jenkins.build(mainJob(jenkinsfileExample()));
        // another job of the same config repo holds the stack's lock: the approved build waits for it in Apply
        String resource = "datomic-gitops " + url.replaceFirst("^ssh://git@", "").replaceFirst(":[0-9]+/", "/")
                .replaceFirst("\\.git$", "") + " demo";
        Build holder = jenkins.build(job("config/other", "lock(resource: '" + resource + "') { input 'hold' }", Map.of()));
        b.approve("alice", "datomic-approvers");
        assertThat(b.waitingForLock()).as(b.log()).isEqualTo(resource);
        assertThat(b.steps("node")).as("waiting for the lock holds no agent").hasSize(1);
        b.abortBuild("alice");
        assertThat(b.result()).isEqualTo("ABORTED");
        assertThat(b.log()).contains("datomic-gitops: aborted during Apply")
                .doesNotContain("not deployed (approval rejected");
        assertThat(runnerCalls(b)).doesNotContain("apply");
        holder.abort("bob");
    }

    @Test
    void abortedApprovalAppliesNothing() throws Exception {
        String before = head("main");
        Build b = jenkins.build(mainJob(jenkinsfileExample()));
        b.abort("alice");
        assertThat(b.result()).isEqualTo("ABORTED");
        assertThat(runnerCalls(b)).containsExactly("checkout", "plan");
        assertThat(head("main")).isEqualTo(before);
    }

    @Test
    void approvalTimeoutAppliesNothing() throws Exception {
        String before = head("main");
        Build b = jenkins.build(mainJob(jenkinsfileExample()));
        jenkins.advance(Duration.ofHours(25));
        assertThat(b.result()).isEqualTo("ABORTED");
        assertThat(b.log()).contains("Timeout has been exceeded");
        assertThat(runnerCalls(b)).containsExactly("checkout", "plan");
        assertThat(head("main")).isEqualTo(before);
    }

    @Test
    void newerApprovedBuildSupersedesTheOlderWaitingOne() throws Exception {
        Job job = mainJob(TWO_LINE);
        Build older = jenkins.build(job);
        Build newer = jenkins.build(job);
        assertThat(older.pendingInput()).as(older.log()).isNotNull();
        assertThat(newer.pendingInput()).as(newer.log()).isNotNull();
        newer.approve("bob", "datomic-approvers");
        assertSucceeded(newer);
        assertThat(older.result()).isEqualTo("NOT_BUILT");
        assertThat(runnerCalls(older)).doesNotContain("apply");
        assertThat(messagesSince("main", null)).filteredOn(m -> m.contains("Approved-by:")).allMatch(m -> m.contains("Approved-by: bob"));
    }

    @Test
    void exampleQueuesANewerBuildBehindOneWaitingForApproval() throws Exception {
        Job job = mainJob(jenkinsfileExample());
        Build first = jenkins.build(job);
        Build second = jenkins.build(job);
        assertThat(first.pendingInput()).isNotNull();
        assertThat(second.state()).isEqualTo(Build.State.QUEUED);
        first.abort("alice");
        assertThat(second.pendingInput()).as(second.log()).isNotNull();
    }

    @Test
    void runnerErrorFailsTheBuildWithItsMessage() throws Exception {
        TestRepos.pushChange(bare, tmp.resolve("author"), "main",
                Map.of("stacks/demo/deploy.properties", "replace-strategy=sideways\n"), "bad strategy");
        Build b = jenkins.build(mainJob(jenkinsfileExample()));
        assertThat(b.result()).isEqualTo("FAILURE");
        assertThat(b.log()).containsPattern("ERROR: datomic-gitops plan failed \\(exit 3\\): .*replace-strategy");
        assertThat(b.steps("input")).isEmpty();
    }

    // ---- helpers ----

    private static JsonNode planReport(Build b) throws IOException {
        return Json.mapper().readTree(Files.readString(b.artifact("datomic-gitops/plan/report.json")));
    }

    /** Pull request NUMBER from branch feature of the same repository, built merged into main. */
    private Job samePullRequest(int number) throws Exception {
        String feature = pushTo("refs/heads/feature-" + number, "raise threshold");
        pushRef(feature, "refs/pull/" + number + "/head");
        return job("config/PR-" + number, jenkinsfileExample(), Map.of("BRANCH_NAME", "PR-" + number, "CHANGE_ID",
                String.valueOf(number), "CHANGE_BRANCH", "feature-" + number, "CHANGE_TARGET", "main"))
                .scm(GitScm.pullRequestMerged(url, bare, number, "main"));
    }

    private Job mainJob(String jenkinsfile) {
        return job("config/main", jenkinsfile, Map.of("BRANCH_NAME", "main")).scm(GitScm.branch(url, bare, "main"));
    }

    /** A commit on main's tip raising the demo stack's threshold, pushed to REF only; its id. */
    private String pushTo(String ref, String message) throws Exception {
        Path work = tmp.resolve("push-" + ref.replaceAll("[^a-z0-9]", "-"));
        try (Git g = Git.cloneRepository().setURI(bare.toUri().toString()).setDirectory(work.toFile()).call()) {
            String id = TestRepos.commitFiles(g, Map.of("stacks/demo/transactor.properties",
                    transactor() + "memory-index-threshold=64m\n"), message);
            g.push().setRefSpecs(new RefSpec("HEAD:" + ref)).call();
            return id;
        }
    }

    /** Points REF of the server's repository at COMMIT (what GitHub does with refs/pull/N/head). */
    private void pushRef(String commit, String ref) throws IOException {
        try (Repository r = Git.open(bare.toFile()).getRepository()) {
            var u = r.updateRef(ref);
            u.setNewObjectId(r.resolve(commit));
            u.forceUpdate();
        }
    }

    /** The commit the plan was made on, as the runner's saved plan (archived with the build) says. */
    private static String plannedRevision(Build b) throws IOException {
        return Json.mapper().readTree(Files.readString(b.artifact("datomic-gitops/plan/plan.json"))).path("head").asText();
    }

    /** PLANNED is the merge Jenkins made in the build's workspace: TARGET's tip and HEAD, neither of them. */
    private void assertMergeOf(Build b, String planned, String target, String head) throws IOException {
        assertThat(planned).isNotEqualTo(target).isNotEqualTo(head);
        Path ws = jenkins.home().resolve("workspace").resolve(b.job().name().replace('/', '_')).resolve("datomic-gitops/scm");
        try (Repository r = Git.open(ws.toFile()).getRepository()) {
            RevCommit merge = r.parseCommit(r.resolve(planned));
            assertThat(merge.getParents()).extracting(RevCommit::name).containsExactly(target, head);
        }
    }

    /** The runner commands a build ran, in order, read from its sh steps. */
    static List<String> runnerCalls(Build b) {
        List<String> calls = new ArrayList<>();
        for (var s : b.steps("sh")) {
            String script = String.valueOf(s.arg("script"));
            for (String c : List.of("checkout", "plan", "apply", "drift")) {
                if (script.contains("'-jar' ") && script.contains(".jar' '" + c + "'")) calls.add(c);
            }
        }
        return calls;
    }

    private static Map<String, String> exampleConfigRepo() throws IOException {
        Path dir = root().resolve("examples/config-repo");
        Map<String, String> files = new LinkedHashMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) files.put(dir.relativize(f).toString(), Files.readString(f));
        }
        return files;
    }

    private static String transactor() throws IOException {
        return Files.readString(root().resolve("examples/config-repo/stacks/demo/transactor.properties"));
    }

    private String head(String branch) throws IOException {
        try (Repository r = Git.open(bare.toFile()).getRepository()) {
            return r.resolve("refs/heads/" + branch).name();
        }
    }

    private List<String> messagesSince(String branch, String since) throws Exception {
        List<String> out = new ArrayList<>();
        try (Git g = Git.open(bare.toFile())) {
            for (RevCommit c : g.log().add(g.getRepository().resolve("refs/heads/" + branch)).call()) {
                if (c.name().equals(since)) break;
                out.add(c.getFullMessage());
            }
        }
        return out;
    }

    static List<String> runnerCommands() throws Exception {
        Process p = new ProcessBuilder("java", "-jar", runnerJar().toString(), "--help").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        List<String> commands = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.matches("^  [a-z][a-z-]*( .*)?$")) commands.add(line.strip().split("\\s+")[0]);
        }
        return commands;
    }
}
