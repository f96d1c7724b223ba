package io.datomicgitops.configrepo;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A stack folder and the files the tool reads and writes in it lie inside the clone, as regular files. */
class StackFolderTest {
    @TempDir
    Path tmp;

    private Path configRepo() throws Exception {
        Path root = tmp.resolve("clone");
        Path dir = Files.createDirectories(root.resolve("stacks/demo"));
        Files.writeString(dir.resolve(StackFolder.DEPLOY), "stack-name=demo\n");
        Files.writeString(dir.resolve(StackFolder.TRANSACTOR), "protocol=ddb\n");
        Files.writeString(dir.resolve(StackFolder.CF), "aws-region=us-east-1\n");
        return root;
    }

    private static void refused(Runnable r, ExitCode code, String fragment) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(ToolException.class, e -> assertThat(e.exitCode()).isEqualTo(code))
                .hasMessageContaining(fragment);
    }

    @Test
    void aStackIsAFolderNameNeverAPath() throws Exception {
        Path root = configRepo();
        for (String name : List.of("../../x", "..", "demo/../../x", "/etc", "stacks/../x")) {
            refused(() -> StackSelection.select(root, List.of(name), Optional.empty(), null), ExitCode.USAGE,
                    "is not the name of a folder under stacks/");
        }
        assertThat(StackSelection.select(root, List.of("stacks/demo/"), Optional.empty(), null)).extracting(StackFolder::name)
                .containsExactly("demo");
    }

    @Test
    void aSymlinkedPropertiesFileIsRefused() throws Exception {
        Path root = configRepo();
        Path secret = Files.writeString(tmp.resolve("outside.properties"), "protocol=ddb\nlicense-key=SECRET\n");
        Path tx = root.resolve("stacks/demo").resolve(StackFolder.TRANSACTOR);
        Files.delete(tx);
        Files.createSymbolicLink(tx, secret);
        refused(() -> new StackFolder("demo", root).requireInsideClone(), ExitCode.INVALID_CONFIG,
                "stacks/demo/transactor.properties: a symbolic link");
    }

    @Test
    void aSymlinkedStackFolderIsRefused() throws Exception {
        Path root = configRepo();
        Path outside = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.writeString(outside.resolve(StackFolder.DEPLOY), "stack-name=evil\n");
        Files.createSymbolicLink(root.resolve("stacks/evil"), outside);
        refused(() -> StackSelection.select(root, List.of("evil"), Optional.empty(), null).get(0).requireInsideClone(),
                ExitCode.INVALID_CONFIG, "stacks/evil: a symbolic link");
    }

    @Test
    void aFifoOrAFolderInPlaceOfAFileIsRefusedWithoutBlocking() throws Exception {
        Path root = configRepo();
        Path record = root.resolve("stacks/demo").resolve(StackFolder.RECORD);
        assertThat(new ProcessBuilder("mkfifo", record.toString()).start().waitFor()).isZero();
        refused(() -> new StackFolder("demo", root).requireInsideClone(), ExitCode.INVALID_CONFIG,
                "stacks/demo/deployment.json: not a regular file");
        Files.delete(record);
        Files.createDirectories(root.resolve("stacks/demo").resolve(StackFolder.TEMPLATE));
        refused(() -> new StackFolder("demo", root).requireInsideClone(), ExitCode.INVALID_CONFIG,
                "stacks/demo/cf.json: not a regular file");
    }

    @Test
    void datomicHomeMustLieOutsideTheClone() throws Exception {
        Path root = configRepo();
        StackFolder f = new StackFolder("demo", root);
        refused(() -> f.requireOutsideClone(root.resolve("stacks/demo/datomic"), "deploy.properties:3"), ExitCode.INVALID_CONFIG,
                "lies inside the config repo's clone");
        refused(() -> f.requireOutsideClone(root.resolve("x/../."), "deploy.properties:3"), ExitCode.INVALID_CONFIG,
                "lies inside the config repo's clone");
        Path link = Files.createSymbolicLink(tmp.resolve("home-link"), root.resolve("stacks"));
        refused(() -> f.requireOutsideClone(link, "deploy.properties:3"), ExitCode.INVALID_CONFIG, "inside the config repo's clone");
        assertThatCode(() -> f.requireOutsideClone(tmp.resolve("datomic-pro"), "deploy.properties:3")).doesNotThrowAnyException();
    }
}
