package io.datomicgitops.jenkins.library;

import io.datomicgitops.jenkins.harness.Build;
import io.datomicgitops.jenkins.harness.Jenkins;
import io.datomicgitops.jenkins.harness.Job;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A harness Jenkins serving the library from the repository root, with agents that run the real runner jar. */
abstract class PipelineTestSupport {
    @TempDir
    Path tmp;
    Jenkins jenkins;
    Path agentHome;

    static Path root() {
        return Path.of(System.getProperty("library.root", "..")).toAbsolutePath().normalize();
    }

    static Path runnerJar() {
        Path jar = Path.of(System.getProperty("runner.jar", root().resolve("runner/target/datomic-gitops.jar").toString())).toAbsolutePath().normalize();
        assertThat(jar).as("the runner jar (built by the runner module before this one)").exists();
        return jar;
    }

    static String jenkinsfileExample() throws IOException {
        return Files.readString(root().resolve("Jenkinsfile.example"));
    }

    @BeforeEach
    void startJenkins() throws IOException {
        jenkins = new Jenkins(tmp.resolve("jenkins"), root());
        agentHome = tmp.resolve("jenkins/agent-home");
        Files.createDirectories(agentHome.resolve(".ssh"));
        // the agent's Java looks for ~/.ssh here (user.home comes from the password database, not HOME)
        jenkins.agentEnv("JAVA_TOOL_OPTIONS", "-Duser.home=" + agentHome);
    }

    Job job(String name, String jenkinsfile, Map<String, String> env) {
        return jenkins.job(name, jenkinsfile, env);
    }

    static void assertSucceeded(Build b) {
        assertThat(b.result()).as("result of %s; log:%n%s", b, b.log()).isEqualTo("SUCCESS");
        assertThat(b.cpsMismatches()).as("CPS mismatches").isEmpty();
    }
}
