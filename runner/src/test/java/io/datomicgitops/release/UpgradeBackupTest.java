package io.datomicgitops.release;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.aws.AwsSettings;
import io.datomicgitops.configrepo.StackFolder;
import io.datomicgitops.configrepo.StackInputs;
import io.datomicgitops.configrepo.StackSettings;
import io.datomicgitops.report.Log;
import io.datomicgitops.stack.StackPreview;
import io.datomicgitops.testing.ConfigRepoFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The backup before a version change, on the example stack's files and a real shell: when it runs, with what, and what it logs. */
class UpgradeBackupTest {
    private static final String PASSWORD = "corpus-sql-password-0451";

    @TempDir
    Path root;

    final List<String> lines = new ArrayList<>();
    final Log log = new Log() {
        @Override public void progress(String line) { lines.add(line); }
        @Override public void warn(String line) { lines.add("warning: " + line); }
    };

    private StackInputs stack(String deployExtra) throws Exception {
        for (var f : ConfigRepoFixture.exampleFiles().entrySet()) {
            if (!f.getKey().startsWith("stacks/demo/")) continue;
            Path p = root.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getKey().endsWith("deploy.properties") ? f.getValue() + deployExtra : f.getValue());
        }
        Map<String, String> env = Map.of("DB_PASSWORD", PASSWORD, "AWS_REGION", "us-east-1");
        return StackInputs.read(new StackFolder("demo", root), StackSettings.Overrides.NONE, AwsSettings.fromEnvironment(env), env);
    }

    /** The stack runs {@code running}; the files say 1.0.7277. */
    private static StackPreview runs(String running) {
        return new StackPreview("demo-datomic-transactor", StackPreview.CHANGES, "UPDATE", "change-set", "cs", "arn:cs", null, 0, null,
                List.of(), List.of(new StackPreview.ParameterValue("DatomicVersion", "1.0.7277", running, !"1.0.7277".equals(running), false)),
                List.of());
    }

    private String script(String body) throws Exception {
        Path s = root.resolve("backup.sh");
        Files.writeString(s, body);
        return "\nbackup-command=sh " + s + "\nbackup-uri=s3://backups/demo\n";
    }

    @Test
    void runsBeforeAVersionChangeWithTheStacksEnvironmentAndMasksItsSecretsInTheLog() throws Exception {
        Path marker = root.resolve("marker");
        StackInputs in = stack(script("echo \"password is $DB_PASSWORD\"\n"
                + "echo \"$STACK_NAME $DATOMIC_VERSION_FROM $DATOMIC_VERSION_TO $BACKUP_URI $AWS_REGION $(pwd)\" > " + marker + "\n"));

        Optional<String> recorded = new UpgradeBackup(log).runBefore(in, runs("1.0.7187"), false);

        assertThat(recorded).contains("s3://backups/demo");
        assertThat(Files.readString(marker).strip()).isEqualTo("demo-datomic-transactor 1.0.7187 1.0.7277 s3://backups/demo us-east-1 "
                + root.resolve("stacks/demo").toRealPath());
        assertThat(lines).contains("backup: password is ********").noneMatch(l -> l.contains(PASSWORD));
        assertThat(lines.get(0)).isEqualTo("backup: before datomic-version 1.0.7187 -> 1.0.7277, to s3://backups/demo (backup-command)");
    }

    @Test
    void nothingRunsWithoutAVersionChangeOrWhenSkipped() throws Exception {
        Path marker = root.resolve("marker");
        StackInputs in = stack(script("touch " + marker + "\n"));
        assertThat(new UpgradeBackup(log).runBefore(in, runs("1.0.7277"), false)).isEmpty();
        assertThat(new UpgradeBackup(log).runBefore(in, null, false)).as("no preview").isEmpty();
        StackPreview created = new StackPreview("demo-datomic-transactor", StackPreview.CHANGES, "CREATE", "change-set", "cs", "arn:cs", null,
                0, null, List.of(), List.of(new StackPreview.ParameterValue("DatomicVersion", "1.0.7277", "1.0.7187", true, false)), List.of());
        assertThat(new UpgradeBackup(log).runBefore(in, created, false)).as("a stack the update creates (review-only before) never ran").isEmpty();
        assertThat(new UpgradeBackup(log).runBefore(in, runs("1.0.7187"), true)).contains(UpgradeBackup.SKIPPED);
        assertThat(marker).doesNotExist();
    }

    @Test
    void aFailingBackupOrNoneStopsTheDeploymentBeforeTheStackUpdate() throws Exception {
        StackInputs failing = stack(script("echo disk full\nexit 3\n"));
        assertThatThrownBy(() -> new UpgradeBackup(log).runBefore(failing, runs("1.0.7187"), false))
                .isInstanceOfSatisfying(ToolException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.FAILED);
                    assertThat(e.getMessage()).contains("backup-command exited with 3; the stack was not updated");
                });
        assertThat(lines).contains("backup: disk full");

        StackInputs none = stack("");
        assertThatThrownBy(() -> new UpgradeBackup(log).runBefore(none, runs("1.0.7187"), false))
                .isInstanceOfSatisfying(ToolException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID_CONFIG);
                    assertThat(e.getMessage()).contains("set backup-command and backup-uri in", "--skip-backup");
                });
    }
}
