package io.datomicgitops.jenkins.library;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the end-to-end scenarios share: Jenkinsfile.example (and the two-line datomicDeploy form) in the harness, the
 * real runner jar on the agent, the AWS sandbox, and the config repo (examples/config-repo) on a real SSH git server
 * with the key in the Jenkins credentials store. The scenarios are split over classes so that the build runs them
 * in parallel JVMs, each with a sandbox of its own.
 */
@ExtendWith(SandboxExtension.class)
abstract class ScenarioSupport extends PipelineTestSupport {
    static final String TWO_LINE = """
            @Library('datomic-gitops') _
            datomicDeploy(submitter: 'datomic-approvers', gitCredentialsId: 'datomic-config-repo', awsCredentialsId: 'datomic-aws',
                          secrets: [DATOMIC_LICENSE_KEY: 'datomic-license-key'])
            """;

    static final String LICENSE = "license-0f9e8d7c-in-a-jenkins-credential";

    GitSshServer git;
    Path bare;
    String url;

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


    // ---- helpers ----

    static JsonNode planReport(Build b) throws IOException {
        return Json.mapper().readTree(Files.readString(b.artifact("datomic-gitops/plan/report.json")));
    }

    /** Pull request NUMBER from branch feature of the same repository, built merged into main. */
    Job samePullRequest(int number) throws Exception {
        String feature = pushTo("refs/heads/feature-" + number, "raise threshold");
        pushRef(feature, "refs/pull/" + number + "/head");
        return job("config/PR-" + number, jenkinsfileExample(), Map.of("BRANCH_NAME", "PR-" + number, "CHANGE_ID",
                String.valueOf(number), "CHANGE_BRANCH", "feature-" + number, "CHANGE_TARGET", "main"))
                .scm(GitScm.pullRequestMerged(url, bare, number, "main"));
    }

    Job mainJob(String jenkinsfile) {
        return job("config/main", jenkinsfile, Map.of("BRANCH_NAME", "main")).scm(GitScm.branch(url, bare, "main"));
    }

    /** A commit on main's tip raising the demo stack's threshold, pushed to REF only; its id. */
    String pushTo(String ref, String message) throws Exception {
        Path work = tmp.resolve("push-" + ref.replaceAll("[^a-z0-9]", "-"));
        try (Git g = Git.cloneRepository().setURI(bare.toUri().toString()).setDirectory(work.toFile()).call()) {
            String id = TestRepos.commitFiles(g, Map.of("stacks/demo/transactor.properties",
                    transactor() + "memory-index-threshold=64m\n"), message);
            g.push().setRefSpecs(new RefSpec("HEAD:" + ref)).call();
            return id;
        }
    }

    /** Points REF of the server's repository at COMMIT (what GitHub does with refs/pull/N/head). */
    void pushRef(String commit, String ref) throws IOException {
        try (Repository r = Git.open(bare.toFile()).getRepository()) {
            var u = r.updateRef(ref);
            u.setNewObjectId(r.resolve(commit));
            u.forceUpdate();
        }
    }

    /** The commit the plan was made on, as the runner's saved plan (archived with the build) says. */
    static String plannedRevision(Build b) throws IOException {
        return Json.mapper().readTree(Files.readString(b.artifact("datomic-gitops/plan/plan.json"))).path("head").asText();
    }

    /** PLANNED is the merge Jenkins made in the build's workspace: TARGET's tip and HEAD, neither of them. */
    void assertMergeOf(Build b, String planned, String target, String head) throws IOException {
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

    static Map<String, String> exampleConfigRepo() throws IOException {
        Path dir = root().resolve("examples/config-repo");
        Map<String, String> files = new LinkedHashMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) files.put(dir.relativize(f).toString(), Files.readString(f));
        }
        return files;
    }

    static String transactor() throws IOException {
        return Files.readString(root().resolve("examples/config-repo/stacks/demo/transactor.properties"));
    }

    String head(String branch) throws IOException {
        try (Repository r = Git.open(bare.toFile()).getRepository()) {
            return r.resolve("refs/heads/" + branch).name();
        }
    }

    List<String> messagesSince(String branch, String since) throws Exception {
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
