package io.datomicgitops.cli;

import io.datomicgitops.report.Json;
import io.datomicgitops.testing.TestRepos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** checkout's --depth, through the command line. */
class CheckoutCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aDepthBelowOneIsAUsageErrorThatTouchesNothing() throws Exception {
        Path bare = TestRepos.bareWith(tmp, "main", Map.of("README.md", "config\n"));
        for (String depth : new String[] {"0", "-2"}) {
            Path dir = tmp.resolve("clone" + depth);
            CliRun run = CliRun.run("checkout", "--repo", bare.toUri().toString(), "--dir", dir.toString(), "--depth", depth,
                    "--report", tmp.resolve("report" + depth + ".json").toString());
            assertThat(run.exitCode()).as(run.err()).isEqualTo(64);
            assertThat(run.err()).contains("--depth must be 1 or more, not " + depth).contains("leave --depth out for the whole history");
            assertThat(dir).doesNotExist();
        }
    }

    @Test
    void aShallowCheckoutSaysSoInTheReport() throws Exception {
        Path bare = TestRepos.bareWith(tmp, "main", Map.of("README.md", "config\n"));
        TestRepos.pushChange(bare, tmp.resolve("olga"), "main", Map.of("README.md", "notes\n"), "notes");
        Path report = tmp.resolve("report.json");
        CliRun run = CliRun.run("checkout", "--repo", bare.toUri().toString(), "--dir", tmp.resolve("clone").toString(), "--depth", "1",
                "--report", report.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Json.mapper().readTree(Files.readString(report)).at("/phases/0/result/shallow").asBoolean()).isTrue();
        assertThat(Files.readString(tmp.resolve("clone/.git/shallow")).lines()).hasSize(1);
    }
}
