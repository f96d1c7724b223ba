package io.datomicgitops.jenkins.library;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.jenkins.harness.Build;
import io.datomicgitops.jenkins.harness.Credentials;
import io.datomicgitops.jenkins.harness.Job;
import io.datomicgitops.report.Json;
import io.datomicgitops.testing.GitSshServer;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import io.datomicgitops.testing.TestRepos;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
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
    void pullRequestBuildPlansOnlyAndChangesNothing() throws Exception {
        String feature = TestRepos.pushChange(bare, tmp.resolve("author"), "main",
                Map.of("stacks/demo/transactor.properties", transactor() + "memory-index-threshold=64m\n"), "raise threshold");
        String mainBefore = head("main");
        Job pr = job("config/PR-1", jenkinsfileExample(), Map.of("BRANCH_NAME", "PR-1", "CHANGE_ID", "1",
                "CHANGE_BRANCH", "main", "CHANGE_TARGET", "main", "GIT_URL", url));
        Build b = jenkins.build(pr);
        assertSucceeded(b);
        assertThat(b.artifact("datomic-gitops/plan/report.json")).exists();
        // the description is the runner's summary line, as report.json gives it (a new stack: the sandbox is empty)
        JsonNode demo = planReport(b).path("stacks").path("demo");
        assertThat(demo.path("summary").asText()).contains("new stack");
        assertThat(b.description()).isEqualTo("datomic-gitops: changes pending at " + feature.substring(0, 10) + ": demo: "
                + demo.path("summary").asText());
        assertThat(b.artifact("datomic-gitops/plan/plan.md")).exists();
        assertThat(b.steps("input")).isEmpty();
        assertThat(runnerCalls(b)).containsExactly("checkout", "plan");
        assertThat(Files.readString(b.artifact("datomic-gitops/plan/report.json"))).contains("\"mutating\": 0");
        assertThat(head("main")).as("a plan pushes nothing").isEqualTo(mainBefore).isEqualTo(feature);
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
        assertThat(b.pendingInput().message()).endsWith(shown.toString());
        assertThat(b.steps("input").get(0).inside("node")).isFalse();
        b.approve("alice", "datomic-approvers");
        assertSucceeded(b);
        assertThat(runnerCalls(b)).containsExactly("checkout", "plan", "checkout", "apply");
        assertThat(b.steps("lock")).extracting(s -> String.valueOf(s.arg("resource"))).containsExactly("datomic-demo");
        assertThat(b.artifact("datomic-gitops/apply/report.json")).exists();
        List<String> messages = messagesSince("main", null);
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("Approved-by: alice").contains("Build-URL: " + b.url()));
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

    private Job mainJob(String jenkinsfile) {
        return job("config/main", jenkinsfile, Map.of("BRANCH_NAME", "main", "GIT_URL", url));
    }

    /** The runner commands a build ran, in order, read from its sh steps. */
    static List<String> runnerCalls(Build b) {
        List<String> calls = new ArrayList<>();
        for (var s : b.steps("sh")) {
            String script = String.valueOf(s.arg("script"));
            for (String c : List.of("checkout", "plan", "apply")) {
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
