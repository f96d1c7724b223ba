package io.datomicgitops.record;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * deployment.json is committed in users' repos and read back: the builder must write exactly what the positional
 * constructor writes. The expected files under /results were written by that constructor before the builder existed
 * (commit 21db8a0), from the same values.
 */
class DeploymentRecordTest {
    static final DeploymentRecord POSITIONAL = new DeploymentRecord("prod", "tx-prod", "arn:stack", "eu-west-1", "abc123",
            "f00d", "arn:cs", "UPDATE_COMPLETE", "surge", "lt-1:3", List.of("i-1"), List.of("i-2"), 2.5, "alice",
            "https://ci/1", "2024-01-01T00:00:00Z", "2024-01-01T00:05:00Z");

    static DeploymentRecord.Builder required() {
        return DeploymentRecord.builder().stack("prod").stackName("tx-prod").region("eu-west-1").deployedCommit("abc123")
                .configSha256("f00d").startedAt("2024-01-01T00:00:00Z").finishedAt("2024-01-01T00:05:00Z");
    }

    @Test
    void builtByNameIsTheRecordBuiltPositionallyAndWritesTheSameBytes() throws IOException {
        DeploymentRecord built = required().stackId("arn:stack").changeSetId("arn:cs").status("UPDATE_COMPLETE")
                .strategy("surge").launchSource("lt-1:3").instancesReplaced(List.of("i-1")).instancesLaunched(List.of("i-2"))
                .downtimeSeconds(2.5).approvedBy("alice").buildUrl("https://ci/1")
                .build();

        assertThat(built).isEqualTo(POSITIONAL);
        assertThat(built.toJson()).isEqualTo(POSITIONAL.toJson()).isEqualTo(expected("record-full.json"));
    }

    @Test
    void roundTripsThroughTheFileByteForByte(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("deployment.json");
        DeploymentRecord built = required().stackId("arn:stack").status("UPDATE_COMPLETE").strategy("surge")
                .instancesReplaced(List.of("i-1", "i-3")).instancesLaunched(List.of("i-2", "i-4")).downtimeSeconds(0.0)
                .build();
        Files.writeString(file, built.toJson());

        DeploymentRecord read = DeploymentRecord.read(file).orElseThrow();

        assertThat(read).isEqualTo(built);
        assertThat(read.toJson().getBytes(StandardCharsets.UTF_8)).isEqualTo(Files.readAllBytes(file));
        // the committed file of the positional constructor reads back to the same record too
        Files.writeString(file, expected("record-full.json"));
        assertThat(DeploymentRecord.read(file)).contains(POSITIONAL);
    }

    @Test
    void leavesOutUnsetDetailsAndWritesUnsetInstanceListsAsEmptyLikeADeploymentWithoutReplacement() throws IOException {
        DeploymentRecord built = required().stackId("arn:stack").status("UPDATE_COMPLETE").strategy("surge").build();

        assertThat(built.toJson()).isEqualTo(expected("record-nulls.json"));
    }

    @Test
    void aBuilderMissingRequiredFieldsNamesThemAll() {
        assertThatThrownBy(() -> DeploymentRecord.builder().stack("prod").region("eu-west-1").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("DeploymentRecord built without stackName, deployedCommit, configSha256, startedAt, finishedAt (required)");
        assertThat(required().build().stack()).isEqualTo("prod");
    }

    static String expected(String name) throws IOException {
        try (InputStream in = DeploymentRecordTest.class.getResourceAsStream("/results/" + name)) {
            assertThat(in).as("/results/" + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void recordsTheBackupTakenBeforeAVersionChangeAtTheEndAndReadsOlderFilesWithoutOne(@TempDir Path dir) throws IOException {
        DeploymentRecord built = required().backup("s3://backups/demo").build();
        assertThat(built.toJson()).endsWith("\"finishedAt\": \"2024-01-01T00:05:00Z\",\n  \"backup\": \"s3://backups/demo\"\n}\n");
        Path file = dir.resolve("deployment.json");
        Files.writeString(file, built.toJson());
        assertThat(DeploymentRecord.read(file)).hasValueSatisfying(r -> assertThat(r.backup()).isEqualTo("s3://backups/demo"));

        Files.writeString(file, expected("record-full.json"));
        assertThat(DeploymentRecord.read(file)).hasValueSatisfying(r -> assertThat(r.backup()).isNull());
        assertThat(POSITIONAL.toJson()).as("no backup, no key").doesNotContain("backup");
    }
}
