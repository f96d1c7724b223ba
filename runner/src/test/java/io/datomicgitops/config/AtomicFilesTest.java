package io.datomicgitops.config;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AtomicFilesTest {
    @TempDir
    Path tmp;

    /** A link is neither written through (its target changed) nor replaced by a regular file holding the new content. */
    @Test
    void neverWritesThroughNorReplacesASymbolicLink() throws Exception {
        Path target = Files.writeString(tmp.resolve("outside.properties"), "license-key=SECRET\n");
        Path link = Files.createSymbolicLink(tmp.resolve("transactor.properties"), target);
        assertThatThrownBy(() -> AtomicFiles.write(link, "license-key=SECRET\nport=4334\n"))
                .isInstanceOfSatisfying(ToolException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID_CONFIG))
                .hasMessageContaining("a symbolic link");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(target)).isEqualTo("license-key=SECRET\n");
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("outside.properties", "transactor.properties");
        }
    }
}
