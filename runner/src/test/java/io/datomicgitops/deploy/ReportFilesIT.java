package io.datomicgitops.deploy;

import io.datomicgitops.testing.ConfigRepoFixture;
import io.datomicgitops.testing.Pasted;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default report files (report.json, plan.md in the current directory) of an operator working inside the clone:
 * {@code plan --dir .}, then {@code checkout} and {@code apply} of that same clone. The runner jar runs as a child
 * process started in the clone, since a JVM cannot change its own current directory.
 */
@ExtendWith(SandboxExtension.class)
class ReportFilesIT {
    @TempDir
    Path tmp;

    @Test
    void planInsideTheCloneLeavesItsReportsThereAndTheNextCheckoutAndApplyStillRun(Sandbox sandbox) throws Exception {
        ConfigRepoFixture repo = ConfigRepoFixture.create(tmp, sandbox);
        assertThat(repo.checkout().exitCode()).isZero();
        Path clone = repo.clone;

        Run plan = runIn(clone, repo.env, "plan", "--dir", ".");
        assertThat(plan.exitCode()).as(plan.output()).isEqualTo(2);
        assertThat(plan.output()).contains("plan written to plan.md");
        assertThat(clone.resolve("plan.md")).content().contains("# datomic-gitops plan");
        assertThat(clone.resolve("report.json")).content().contains("\"command\": \"plan\"");
        Pasted.Shell status = Pasted.run("git -C '" + clone + "' status --porcelain --untracked-files=all", Map.of());
        assertThat(status.out()).as("the operator's git status shows nothing of them").isEmpty();

        repo.push(Map.of("README.md", "# our config\n"), "a note"); // the checkout has something to fetch
        Run checkout = runIn(clone, repo.env, "checkout", "--repo", repo.url(), "--dir", ".");
        assertThat(checkout.exitCode()).as(checkout.output()).isZero();
        assertThat(clone.resolve("README.md")).content().isEqualTo("# our config\n");

        Run apply = runIn(clone, repo.env, "apply", "--dir", ".", "--approved-by", "alice");
        assertThat(apply.exitCode()).as(apply.output()).isZero();
        assertThat(apply.output()).contains("demo: demo-datomic-transactor CREATE_COMPLETE");
        assertThat(clone.resolve("report.json")).content().contains("\"command\": \"apply\"");
        assertThat(repo.remoteLog()).extracting(c -> c.getShortMessage())
                .noneMatch(m -> m.contains("report.json") || m.contains("plan.md"));
        assertThat(repo.remoteFile("report.json")).isNull();
        assertThat(repo.remoteFile("plan.md")).isNull();
    }

    record Run(int exitCode, String output) {}

    /** {@code java -jar datomic-gitops.jar args...} started in {@code dir}. */
    private static Run runIn(Path dir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", System.getProperty("runner.jar")));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
