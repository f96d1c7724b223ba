package io.datomicgitops.release;

import io.datomicgitops.aws.AwsSettings;
import io.datomicgitops.configrepo.StackFolder;
import io.datomicgitops.configrepo.StackInputs;
import io.datomicgitops.configrepo.StackSettings;
import io.datomicgitops.instances.Strategy;
import io.datomicgitops.testing.ConfigRepoFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A release every transactor moves to together: the replacement is terminate, whatever the files or the command line chose. */
class StopAllTest {
    @TempDir
    Path root;

    @Test
    void theReplacementStopsTheOldTransactorFirstAndKeepsEverythingElse() throws Exception {
        for (var f : ConfigRepoFixture.exampleFiles().entrySet()) {
            if (!f.getKey().startsWith("stacks/demo/")) continue;
            Path p = root.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue().replace("replace-strategy=terminate", "replace-strategy=surge"));
        }
        StackSettings.Overrides surgeOnTheCommandLine = StackSettings.Overrides.NONE
                .withReplacement(Strategy.SURGE, Duration.ofMinutes(7), Duration.ofMinutes(3));
        StackInputs in = StackInputs.read(new StackFolder("demo", root), surgeOnTheCommandLine, AwsSettings.fromEnvironment(Map.of()), Map.of());
        assertThat(in.settings().replaceStrategy()).isEqualTo(Strategy.SURGE);

        StackInputs stopAll = StopAll.terminating(in);

        assertThat(stopAll.settings().replaceStrategy()).isEqualTo(Strategy.TERMINATE);
        assertThat(stopAll.settings().replaceTimeout()).contains(Duration.ofMinutes(7));
        assertThat(stopAll.settings().healthTimeout()).contains(Duration.ofMinutes(3));
        assertThat(stopAll.stackName()).isEqualTo(in.stackName());
        assertThat(stopAll.configHash()).isEqualTo(in.configHash());
    }
}
