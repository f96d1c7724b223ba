package io.datomicgitops.configrepo;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OneFolderPerStackTest {
    @TempDir
    Path root;

    private void folder(String name, String deploy, String tx) throws Exception {
        Path dir = Files.createDirectories(root.resolve("stacks").resolve(name));
        Files.writeString(dir.resolve(StackFolder.DEPLOY), deploy);
        Files.writeString(dir.resolve(StackFolder.TRANSACTOR), tx);
        Files.writeString(dir.resolve(StackFolder.CF), "aws-region=us-east-1\n");
    }

    @Test
    void twoFoldersNamingOneStackAreRefusedNamingBoth() throws Exception {
        folder("prod", "stack-name=prod-tx\n", "protocol=ddb\naws-dynamodb-table=prod\n");
        folder("prod-copy", "# copied\nstack-name=prod-tx\n", "protocol=ddb\naws-dynamodb-table=other\n");
        assertThatThrownBy(() -> OneFolderPerStack.require(root))
                .isInstanceOfSatisfying(ToolException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID_CONFIG))
                .hasMessage("stacks/prod-copy/deploy.properties: stacks/prod and stacks/prod-copy both deploy the stack prod-tx in "
                        + "us-east-1: each would replace what the other deployed (give each folder its own stack-name, or delete the copy)");
    }

    @Test
    void twoFoldersSharingOneStorageTableAreRefused() throws Exception {
        folder("a", "stack-name=a-tx\n", "protocol=ddb\naws-dynamodb-region=us-east-1\naws-dynamodb-table=shared\n");
        folder("b", "stack-name=b-tx\n", "protocol=ddb\naws-dynamodb-table=shared\n");
        assertThatThrownBy(() -> OneFolderPerStack.require(root)).hasMessageContaining(
                "stacks/a and stacks/b both deploy the DynamoDB table shared in us-east-1");
    }

    @Test
    void oneNameInTwoRegionsIsTwoStacks() throws Exception {
        folder("east", "stack-name=tx\n", "protocol=ddb\naws-dynamodb-table=east\n");
        folder("west", "stack-name=tx\naws-region=us-west-2\n", "protocol=ddb\naws-dynamodb-table=west\n");
        assertThatCode(() -> OneFolderPerStack.require(root)).doesNotThrowAnyException();
    }
}
