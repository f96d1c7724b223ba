package io.datomicgitops.cli;

import io.datomicgitops.testing.replay.ReplayServer;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** --attempt-timeout: how long one attempt of an AWS call waits for its answer; below a second is refused. */
class AttemptTimeoutOptionTest {
    @TempDir
    Path tmp;

    @Test
    void anAttemptTimeoutBelowASecondIsAUsageErrorNamingTheOptionAndNothingIsCalled() throws Exception {
        Git.init().setDirectory(tmp.resolve("clone").toFile()).call().close();
        try (ReplayServer aws = ReplayServer.start()) {
            Map<String, String> env = Map.of("AWS_ENDPOINT_URL", aws.endpoint().toString(), "AWS_REGION", "us-east-1",
                    "AWS_ACCESS_KEY_ID", "AKIAATTEMPTTIMEOUT01", "AWS_SECRET_ACCESS_KEY", "attempt-timeout-test-secret");
            CliRun run = CliRun.run(env, "plan", "--dir", tmp.resolve("clone").toString(), "--attempt-timeout", "0s",
                    "--report", tmp.resolve("report.json").toString());
            assertThat(run.exitCode()).as(run.err()).isEqualTo(64);
            assertThat(run.err()).contains("error: --attempt-timeout: '0 ms' is below one second (give an attempt at least 1s");
            assertThat(aws.calls()).isEmpty();
        }
    }
}
