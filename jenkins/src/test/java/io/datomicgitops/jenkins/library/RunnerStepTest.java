package io.datomicgitops.jenkins.library;

import com.sun.net.httpserver.HttpServer;
import io.datomicgitops.jenkins.harness.Build;
import io.datomicgitops.jenkins.harness.Credentials;
import io.datomicgitops.testing.GitSshServer;
import io.datomicgitops.testing.TestRepos;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * datomicRunner with the real runner jar, on commands that need no AWS: finding the jar (explicit, variable,
 * downloaded and verified), arguments with shell metacharacters, the runner's failures, git credentials.
 */
class RunnerStepTest extends PipelineTestSupport {
    static final String NASTY = "it's a $HOME `touch pwned`; $(touch pwned) && \"q\" \\ *\nline two";

    private Path configRepo() throws Exception {
        return TestRepos.bareWith(tmp.resolve("git"), "main", Map.of("stacks/demo/deploy.properties", "stack-name=demo\n"));
    }

    @Test
    void argumentsWithShellMetacharactersArriveLiterallyAtTheRunner() throws Exception {
        Path bare = configRepo();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("DIR", "clone " + NASTY);
        params.put("WORK", "work " + NASTY);
        params.put("REPO", bare.toString());
        Build b = jenkins.build(job("nasty", """
                node {
                    def r = datomicRunner(command: 'checkout', jar: params.JAR, workDir: params.WORK,
                            arguments: ['--repo', params.REPO, '--branch', 'main', '--dir', params.DIR])
                    echo "exit ${r.exitCode}, report at ${r.reportFile}, command ${r.report.command}"
                }
                """, Map.of()), withJar(params));
        assertSucceeded(b);
        Path ws = jenkins.home().resolve("workspace/nasty");
        assertThat(ws.resolve("clone " + NASTY).resolve("stacks/demo/deploy.properties")).hasContent("stack-name=demo\n");
        assertThat(ws.resolve("work " + NASTY).resolve("checkout/report.json")).exists();
        assertThat(b.log()).contains("exit 0").contains("command checkout");
        assertThat(ws.resolve("pwned")).doesNotExist();
        assertThat(agentHome.resolve("pwned")).doesNotExist();
    }

    @Test
    void runnerFailureFailsTheBuildWithTheRunnersMessage() {
        Build b = jenkins.build(job("fail", """
                node {
                    datomicRunner(command: 'checkout', jar: params.JAR,
                            arguments: ['--repo', '/no/such/repo.git', '--branch', 'main', '--dir', 'c'])
                    echo 'not reached'
                }
                """, Map.of()), withJar(Map.of()));
        assertThat(b.result()).isEqualTo("FAILURE");
        assertThat(b.log())
                .contains("ERROR: datomic-gitops checkout failed (exit 4): /no/such/repo.git: repository not found or not reachable")
                .contains("(check --repo and that the server is up)")
                .doesNotContain("not reached");
    }

    @Test
    void usageErrorWithoutReportStillShowsTheRunnersLine() {
        Build b = jenkins.build(job("usage", """
                node { datomicRunner(command: 'no-such-command', jar: params.JAR) }
                """, Map.of()), withJar(Map.of()));
        assertThat(b.result()).isEqualTo("FAILURE");
        assertThat(b.log()).contains("datomic-gitops no-such-command failed (exit 64): Unmatched arguments");
    }

    @Test
    void jarFromTheAgentVariable() throws Exception {
        jenkins.agentEnv("DATOMIC_GITOPS_JAR", runnerJar().toString());
        Path bare = configRepo();
        Build b = jenkins.build(job("envjar", """
                node { datomicRunner(command: 'checkout', arguments: ['--repo', params.REPO, '--branch', 'main', '--dir', 'c']) }
                """, Map.of()), Map.of("REPO", bare.toString()));
        assertSucceeded(b);
        assertThat(b.steps("sh").get(0).arg("script").toString()).contains("'" + runnerJar() + "'");
    }

    @Test
    void missingJarIsOneClearError() {
        Build b = jenkins.build(job("nojar", "node { datomicRunner(command: 'checkout', jar: '/nope/runner.jar') }", Map.of()));
        assertThat(b.result()).isEqualTo("FAILURE");
        assertThat(b.log()).contains("ERROR: datomicRunner: the runner jar /nope/runner.jar (from jar) does not exist on this agent");
    }

    @Test
    void withoutJarOrPinnedChecksumTheStepSaysWhatToDo() {
        Build b = jenkins.build(job("nopin", "node { datomicRunner(command: 'checkout', repositoryUrl: 'http://127.0.0.1:1/') }", Map.of()));
        assertThat(b.result()).isEqualTo("FAILURE");
        assertThat(b.log()).contains("no SHA-256 is pinned for runner 0.1.0; give jar:, set DATOMIC_GITOPS_JAR");
    }

    @Test
    void unknownParameterIsRejected() {
        Build b = jenkins.build(job("typo", "node { datomicRunner(command: 'checkout', awsCredentialId: 'x') }", Map.of()));
        assertThat(b.result()).isEqualTo("FAILURE");
        assertThat(b.log()).contains("datomicRunner: unknown parameter(s) awsCredentialId");
    }

    /** The pinned-release path: a Maven repository on loopback serves the real jar; the checksum decides. */
    @Test
    void downloadsVerifiesAndCachesThePinnedJar() throws Exception {
        byte[] jar = Files.readAllBytes(runnerJar());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(jar));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
        server.createContext("/releases/", ex -> {
            requests.add(ex.getRequestURI().getPath());
            boolean ok = ex.getRequestURI().getPath().equals(
                    "/releases/io/datomicgitops/datomic-gitops-runner/9.9.9/datomic-gitops-runner-9.9.9.jar");
            ex.sendResponseHeaders(ok ? 200 : 404, ok ? jar.length : -1);
            if (ok) ex.getResponseBody().write(jar);
            ex.close();
        });
        server.start();
        try {
            String repoUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/releases";
            Path bare = configRepo();
            String script = """
                    node {
                        datomicRunner(command: 'checkout', repositoryUrl: params.URL, runnerVersion: '9.9.9',
                                runnerSha256: params.SHA, arguments: ['--repo', params.REPO, '--branch', 'main', '--dir', 'c'])
                    }
                    """;
            var job = job("download", script, Map.of());
            Build first = jenkins.build(job, Map.of("URL", repoUrl, "SHA", sha, "REPO", bare.toString()));
            assertSucceeded(first);
            Path cached = jenkins.home().resolve("workspace/download/datomic-gitops/runner/datomic-gitops-runner-9.9.9.jar");
            assertThat(cached).hasSameBinaryContentAs(runnerJar());
            assertThat(first.log()).contains("verified");
            assertThat(requests).hasSize(1);

            Build second = jenkins.build(job, Map.of("URL", repoUrl, "SHA", sha, "REPO", bare.toString()));
            assertSucceeded(second);
            assertThat(second.log()).contains("using cached");
            assertThat(requests).as("the cached jar is not downloaded again").hasSize(1);

            Files.delete(cached);
            String wrong = "0".repeat(64);
            Build tampered = jenkins.build(job, Map.of("URL", repoUrl, "SHA", wrong, "REPO", bare.toString()));
            assertThat(tampered.result()).isEqualTo("FAILURE");
            assertThat(tampered.log()).contains("SHA-256 is " + sha + ", expected " + wrong).contains("refusing the jar");
            assertThat(cached).as("a jar that fails the check is not kept").doesNotExist();
            assertThat(tampered.steps("sh")).hasSize(1);
        } finally {
            server.stop(0);
        }
    }

    /** A secret the library binds is named to the runner, which lets placeholders read only the variables it is given. */
    @Test
    void eachBoundSecretIsNamedToTheRunner() throws Exception {
        Path bare = configRepo();
        jenkins.credentials().add("license", new Credentials.SecretText("not-a-real-license"));
        Build b = jenkins.build(job("secret-env", """
                node {
                    datomicRunner(command: 'checkout', jar: params.JAR, secrets: [TEAM_LICENSE: 'license'],
                            arguments: ['--repo', params.REPO, '--branch', 'main', '--dir', 'c'])
                }
                """, Map.of()), withJar(Map.of("REPO", bare.toString())));
        assertSucceeded(b);
        assertThat(b.unmaskedLog()).contains("--secret-env TEAM_LICENSE").doesNotContain("not-a-real-license");
    }

    /** Git credentials: an SSH key with a passphrase from the Jenkins store, over a real SSH git server. */
    @Test
    void sshKeyCredentialReachesTheRunnerWithoutPrintingThePassphrase() throws Exception {
        Path key = tmp.resolve("id_ed25519");
        String passphrase = "correct horse battery staple";
        GitSshServer.keygen(key, passphrase);
        Path base = tmp.resolve("srv");
        Files.createDirectories(base);
        Path bare = TestRepos.bareWith(base, "main", Map.of("stacks/demo/deploy.properties", "stack-name=demo\n"));
        try (GitSshServer server = GitSshServer.start(base, Path.of(key + ".pub"), tmp.resolve("hostkey.ser"))) {
            Files.writeString(agentHome.resolve(".ssh/known_hosts"), server.knownHostsLine() + "\n");
            jenkins.credentials().add("config-repo", new Credentials.SshKey("git", Files.readString(key), passphrase));
            Build b = jenkins.build(job("ssh", """
                    node {
                        datomicRunner(command: 'checkout', jar: params.JAR, gitAuth: true, gitCredentialsId: 'config-repo',
                                repo: params.REPO, arguments: ['--repo', params.REPO, '--branch', 'main', '--dir', 'c'])
                    }
                    """, Map.of()), withJar(Map.of("REPO", server.url(bare))));
            assertSucceeded(b);
            assertThat(jenkins.home().resolve("workspace/ssh/c/stacks/demo/deploy.properties")).exists();
            assertThat(b.unmaskedLog()).doesNotContain(passphrase).contains("--ssh-key");
            assertThat(b.steps("withCredentials")).hasSize(1);
        }
    }

    private Map<String, Object> withJar(Map<String, Object> params) {
        Map<String, Object> p = new LinkedHashMap<>(params);
        p.put("JAR", runnerJar().toString());
        return p;
    }
}
