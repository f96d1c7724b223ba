package io.datomicgitops.jenkins.library;

import com.sun.net.httpserver.HttpServer;
import io.datomicgitops.jenkins.harness.Build;
import io.datomicgitops.jenkins.harness.Credentials;
import io.datomicgitops.jenkins.harness.Jenkins;
import io.datomicgitops.testing.TestRepos;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The release path: scripts/pin-runner pins a release jar's version and SHA-256 into a copy of the library, and
 * datomicRunner, given only the repository (private: a username/password credential), downloads exactly that jar.
 */
class PinRunnerTest extends PipelineTestSupport {
    record Run(int exitCode, String output) {}

    private Run pin(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("sh", root().resolve("scripts/pin-runner").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    /** A copy of the library (vars, src, resources) that a pin may change. */
    private Path libraryCopy() throws IOException {
        Path lib = tmp.resolve("lib");
        for (String dir : List.of("vars", "src", "resources")) {
            Path from = root().resolve(dir);
            try (Stream<Path> files = Files.walk(from)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Path to = lib.resolve(dir).resolve(from.relativize(f).toString());
                    Files.createDirectories(to.getParent());
                    Files.copy(f, to);
                }
            }
        }
        return lib;
    }

    private static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    @Test
    void aPinnedReleaseIsDownloadedFromAPrivateRepositoryAndVerified() throws Exception {
        Path lib = libraryCopy();
        Path properties = lib.resolve("resources/io/datomicgitops/jenkins/runner.properties");
        Path release = tmp.resolve("release/datomic-gitops-runner-2.0.0.jar");
        Files.createDirectories(release.getParent());
        Files.copy(runnerJar(), release);
        String sha = sha256(release);
        Files.writeString(Path.of(release + ".sha256"), sha + "\n");

        Run run = pin("--properties", properties.toString(), release.toString());
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("pinned datomic-gitops-runner 2.0.0 (SHA-256 " + sha + ")");
        assertThat(Files.readAllLines(properties)).contains("version=2.0.0", "sha256=" + sha,
                "groupId=io.datomicgitops", "artifactId=datomic-gitops-runner").anyMatch(l -> l.startsWith("# "));

        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] jar = Files.readAllBytes(release);
        String expected = "Basic " + Base64.getEncoder().encodeToString("deployer:s3cret \"pass\\word".getBytes(StandardCharsets.UTF_8));
        server.createContext("/releases/", ex -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            authorizations.add(String.valueOf(auth));
            boolean ok = expected.equals(auth) && ex.getRequestURI().getPath().equals(
                    "/releases/io/datomicgitops/datomic-gitops-runner/2.0.0/datomic-gitops-runner-2.0.0.jar");
            ex.sendResponseHeaders(ok ? 200 : 401, ok ? jar.length : -1);
            if (ok) ex.getResponseBody().write(jar);
            ex.close();
        });
        server.start();
        try {
            jenkins = new Jenkins(tmp.resolve("jenkins-pinned"), lib);
            jenkins.agentEnv("JAVA_TOOL_OPTIONS", "-Duser.home=" + agentHome);
            jenkins.credentials().add("maven-repo", new Credentials.UsernamePassword("deployer", "s3cret \"pass\\word"));
            Path bare = TestRepos.bareWith(tmp.resolve("git"), "main", Map.of("stacks/demo/deploy.properties", "stack-name=demo\n"));
            Build b = jenkins.build(jenkins.job("pinned", """
                    node {
                        datomicRunner(command: 'checkout', repositoryUrl: params.URL, repositoryCredentialsId: 'maven-repo',
                                arguments: ['--repo', params.REPO, '--branch', 'main', '--dir', 'c'])
                    }
                    """, Map.of()), Map.of("URL", "http://127.0.0.1:" + server.getAddress().getPort() + "/releases",
                    "REPO", bare.toString()));
            assertSucceeded(b);
            assertThat(authorizations).containsExactly(expected);
            assertThat(jenkins.home().resolve("workspace/pinned/datomic-gitops/runner/datomic-gitops-runner-2.0.0.jar"))
                    .hasSameBinaryContentAs(runnerJar());
            assertThat(b.unmaskedLog()).doesNotContain("s3cret");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aSnapshotIsNotAReleaseToPin() throws Exception {
        Path properties = libraryCopy().resolve("resources/io/datomicgitops/jenkins/runner.properties");
        String before = Files.readString(properties);
        Path snapshot = tmp.resolve("datomic-gitops-runner-2.1.0-SNAPSHOT.jar");
        Files.writeString(snapshot, "not a release");
        Run run = pin("--properties", properties.toString(), snapshot.toString());
        assertThat(run.exitCode()).isEqualTo(65);
        assertThat(run.output()).contains("error: pin-runner: 2.1.0-SNAPSHOT is a snapshot, not a release");
        assertThat(properties).hasContent(before);
        assertThat(pin("--properties", properties.toString(), "--allow-snapshot", snapshot.toString()).exitCode()).isZero();
        assertThat(Files.readAllLines(properties)).contains("version=2.1.0-SNAPSHOT", "sha256=" + sha256(snapshot));
    }

    @Test
    void aJarThatChangedSinceItsBuildIsRefused() throws Exception {
        Path properties = libraryCopy().resolve("resources/io/datomicgitops/jenkins/runner.properties");
        String before = Files.readString(properties);
        Path jar = tmp.resolve("datomic-gitops-runner-3.0.0.jar");
        Files.writeString(jar, "the jar as built");
        Files.writeString(Path.of(jar + ".sha256"), "0".repeat(64) + "\n");
        Run run = pin("--properties", properties.toString(), jar.toString());
        assertThat(run.exitCode()).isEqualTo(65);
        assertThat(run.output()).contains("the jar changed after the build");
        assertThat(properties).hasContent(before);
    }
}
