package io.datomicgitops.ensure;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.aws.ApiCallCounter;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.report.Log;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The datomic engine, with a small script standing in for bin/datomic (no Datomic distribution here): it fills in
 * generated keys as Datomic documents, or misbehaves on request. The native read-only plan before it runs against
 * the sandbox.
 */
@ExtendWith(SandboxExtension.class)
class EnsureDatomicEngineIT {
    static final String SYSTEM = "orders";

    private Sandbox sandbox;
    @TempDir
    Path dir;
    private Path home;
    private Path log;

    @BeforeEach
    void distribution(Sandbox sandbox) throws IOException {
        this.sandbox = sandbox;
        sandbox.reset();
        home = installFixture(dir);
        log = dir.resolve("invocations.log");
    }

    /** An unpacked "distribution" whose bin/datomic is the fixture script. */
    static Path installFixture(Path dir) throws IOException {
        Path home = dir.resolve("datomic-pro");
        Path bin = Files.createDirectories(home.resolve("bin")).resolve("datomic");
        Files.writeString(bin, Fixtures.text("datomic-fixture.sh"));
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    EnsureOptions datomic(String mode) {
        return EnsureOptions.apply(SYSTEM).withDatomicEngine(home, Map.of("DATOMIC_FIXTURE_MODE", mode, "DATOMIC_FIXTURE_LOG", log.toString()));
    }

    EnsureTransactorIT.Run transactor(PropertiesFile tx, EnsureOptions options) {
        ApiCallCounter counter = new ApiCallCounter();
        try (AwsClients aws = sandbox.clients(counter)) {
            return new EnsureTransactorIT.Run(new EnsureService(aws, Log.NONE, Clock.systemUTC()).ensureTransactor(tx, options), counter);
        }
    }

    @Test
    void itRunsBinDatomicInPlaceOnACopyAndTakesOnlyTheGeneratedNames() throws IOException {
        PropertiesFile tx = Fixtures.file("transactor.properties");
        String original = tx.text();
        List<Map<String, String>> persisted = new ArrayList<>();
        EnsureTransactorIT.Run r = transactor(tx, datomic("good").withListener((f, keys) -> persisted.add(keys)));

        assertThat(Files.readString(log)).matches("ensure-transactor (\\S+/transactor\\.properties) \\1\n");
        EnsureResult result = r.result();
        assertThat(result.engine()).isEqualTo("datomic");
        assertThat(result.engineOutput()).contains("Ensuring transactor for orders-datomic", "aws-transactor-role=datomic-aws-transactor (generated)");
        String bucket = tx.get("aws-s3-log-bucket-id").orElseThrow();
        assertThat(result.keysWritten()).containsOnlyKeys("aws-transactor-role", "aws-peer-role", "aws-s3-log-bucket-id");
        assertThat(persisted).hasSize(1);
        assertThat(tx.text()).as("our own edit of the file: template lines and comments kept").isEqualTo(original
                .replace("# aws-transactor-role=\n", "# aws-transactor-role=\naws-transactor-role=datomic-aws-transactor\n")
                .replace("\naws-peer-role=\n", "\naws-peer-role=datomic-aws-peer\n")
                .replace("\naws-s3-log-bucket-id=\n", "\naws-s3-log-bucket-id=" + bucket + "\n"));
        assertThat(result.resources()).extracting(ResourceChange::name).contains(bucket, "datomic-aws-transactor/" + bucket + "-transactor-logs");
        assertThat(result.resources()).allSatisfy(c -> assertThat(c.calls()).isEmpty());
        assertThat(r.counter().mutatingTotal()).as("the runner itself changed nothing in AWS").isZero();
    }

    @Test
    void aBinDatomicThatRemovesAKeyIsRefusedButTheNamesItGeneratedAreKept() {
        PropertiesFile tx = Fixtures.file("transactor.properties");
        assertThatThrownBy(() -> transactor(tx, datomic("drop-key"))).isInstanceOfSatisfying(ToolException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.FAILED);
            assertThat(e.getMessage()).contains("bin/datomic ensure-transactor changed transactor.properties in ways an ensure command must not: removed memory-index-max")
                    .contains("those changes were not taken");
        });
        assertThat(tx.get("memory-index-max")).hasValue("512m");
        assertThat(tx.get("aws-transactor-role")).as("it named a resource that now exists: never lost").hasValue("datomic-aws-transactor");
    }

    @Test
    void aFailingBinDatomicIsAnErrorWithItsOutputAndItsNamesAreKept() {
        PropertiesFile tx = Fixtures.file("transactor.properties");
        assertThatThrownBy(() -> transactor(tx, datomic("fail"))).isInstanceOfSatisfying(ToolException.class, e -> {
            assertThat(e.getMessage()).contains("bin/datomic ensure-transactor failed with exit code 1")
                    .contains("Rate exceeded").contains("the names it generated were kept");
        });
        assertThat(tx.get("aws-peer-role")).hasValue("datomic-aws-peer");
    }

    @Test
    void planWithTheDatomicEngineIsTheNativeReadOnlyPlanAndDoesNotRunBinDatomic() {
        PropertiesFile tx = Fixtures.file("transactor.properties");
        EnsureTransactorIT.Run r = transactor(tx, datomic("good").withPlan(true));
        assertThat(Files.exists(log)).isFalse();
        assertThat(r.result().engine()).isEqualTo("datomic");
        assertThat(r.result().plan()).isTrue();
        assertThat(r.result().warnings()).anySatisfy(w -> assertThat(w).contains("bin/datomic has no plan mode"));
        assertThat(r.result().resources()).extracting(ResourceChange::action).containsOnly(ResourceChange.Action.CREATE);
        assertThat(r.counter().mutatingTotal()).isZero();
    }

    @Test
    void namesFoundAgainByTagsGoIntoTheFileBeforeBinDatomicRunsSoItReusesThem() {
        PropertiesFile first = Fixtures.file("transactor.properties");
        transactor(first, EnsureOptions.apply(SYSTEM)); // the native engine made and tagged them
        PropertiesFile lost = Fixtures.file("transactor.properties");
        EnsureTransactorIT.Run r = transactor(lost, datomic("good"));
        assertThat(r.result().engineOutput()).contains("aws-transactor-role=datomic-aws-transactor (kept)",
                "aws-s3-log-bucket-id=" + first.get("aws-s3-log-bucket-id").orElseThrow() + " (kept)");
        assertThat(lost.text()).isEqualTo(first.text());
    }

    @Test
    void ensureCfTakesDatomicVersionFromTheDistributionAndNeedsNoTransactorFile() {
        String peers = withAws(aws -> aws.ec2("us-east-1").createSecurityGroup(r -> r.groupName("orders-peers").description("p")).groupId());
        PropertiesFile cf = Fixtures.file("cf.properties");
        EnsureResult r;
        try (AwsClients aws = sandbox.clients()) {
            r = new EnsureService(aws, Log.NONE, Clock.systemUTC()).ensureCf(cf, null, datomic("good"));
        }
        assertThat(cf.get("datomic-version")).hasValue("1.0.9999");
        assertThat(cf.get("java-xmx")).hasValue("2625m");
        assertThat(r.keysWritten()).containsOnlyKeys("java-xmx", "java-opts", "datomic-version");
        assertThat(Fixtures.lines(r)).containsExactly("create security-group orders-transactor",
                "create ingress-rule orders-transactor tcp/4334 from orders-peers (" + peers + ")",
                "create ingress-rule orders-transactor tcp/4334 from 10.20.0.0/16");
    }

    @Test
    void aMissingDistributionIsAClearError() {
        EnsureOptions nowhere = EnsureOptions.apply(SYSTEM).withDatomicEngine(dir.resolve("no-such-dir"), Map.of());
        assertThatThrownBy(() -> transactor(Fixtures.file("transactor.properties"), nowhere)).isInstanceOfSatisfying(ToolException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID_CONFIG);
            assertThat(e.getMessage()).contains("no executable bin/datomic in " + dir.resolve("no-such-dir")).contains("--datomic-home");
        });
    }

    <T> T withAws(java.util.function.Function<AwsClients, T> f) {
        try (AwsClients aws = sandbox.clients()) {
            return f.apply(aws);
        }
    }
}
