package io.datomicgitops.cli;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.configrepo.StackFolder;
import io.datomicgitops.ensure.EnsureOptions;
import io.datomicgitops.ensure.Protections;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.datomicgitops.cli.OneSettingsForEveryCommandTest.flow;
import static io.datomicgitops.cli.OneSettingsForEveryCommandTest.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The storage protections ensure-transactor turns on come from deploy.properties, the same for the flow and for the
 * single ensure-transactor command: all on by default but versioning, each key an opt-out (or, for versioning, in).
 */
class StorageProtectionSettingsTest {
    @TempDir
    Path repo;
    StackFolder folder;

    @BeforeEach
    void stackFolder() throws Exception {
        folder = new StackFolder("prod", repo);
        Files.createDirectories(folder.dir());
        Files.writeString(folder.file(StackFolder.TRANSACTOR), "protocol=ddb\nhost=0.0.0.0\nport=4334\naws-dynamodb-table=prod\n"
                + "aws-dynamodb-region=eu-west-1\n");
        Files.writeString(folder.file(StackFolder.CF), "aws-region=eu-west-1\naws-instance-type=m5.large\naws-autoscaling-group-size=1\n");
    }

    private Protections viaFlow() {
        return flow(parse("plan", "--dir", repo.toString()), folder).ensureOptions(true, false, false).protections();
    }

    private Protections viaCommand() {
        Path tx = folder.file(StackFolder.TRANSACTOR);
        EnsureTransactorCommand single = parse("ensure-transactor", "--plan", tx.toString(), tx.toString());
        EnsureOptions o = single.common.options(single.common.settings(single, tx), "prod-transactor", tx);
        return o.protections();
    }

    @Test
    void allOnButVersioningByDefault() throws Exception {
        Files.writeString(folder.file(StackFolder.DEPLOY), "stack-name=prod-transactor\n");
        assertThat(viaFlow()).isEqualTo(Protections.DEFAULTS).isEqualTo(new Protections(true, true, true, false));
        assertThat(viaCommand()).isEqualTo(viaFlow());
    }

    @Test
    void eachKeyOptsOutOrIn() throws Exception {
        Files.writeString(folder.file(StackFolder.DEPLOY), "stack-name=prod-transactor\ntable-deletion-protection=false\n"
                + "table-point-in-time-recovery=false\nlog-bucket-block-public-access=false\nlog-bucket-versioning=true\n");
        assertThat(viaFlow()).isEqualTo(new Protections(false, false, false, true));
        assertThat(viaCommand()).isEqualTo(viaFlow());

        Files.writeString(folder.file(StackFolder.DEPLOY), "stack-name=prod-transactor\ntable-point-in-time-recovery=false\n");
        assertThat(viaFlow()).isEqualTo(new Protections(true, false, true, false));
    }

    @Test
    void aValueThatIsNotABooleanIsOneClearError() throws Exception {
        Files.writeString(folder.file(StackFolder.DEPLOY), "stack-name=prod-transactor\ntable-deletion-protection=off\n");
        assertThatThrownBy(this::viaFlow)
                .isInstanceOfSatisfying(ToolException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID_CONFIG))
                .hasMessageContaining("deploy.properties:2: 'table-deletion-protection' = 'off' is not valid: expected true or false");
    }
}
