package io.datomicgitops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** ensure-transactor and ensure-cf through Main.run, in-process, against the sandbox: exit codes, output, files, report. */
@ExtendWith(SandboxExtension.class)
class EnsureCliIT {
    private Sandbox sandbox;
    @TempDir
    Path dir;
    private Path stack;

    @BeforeEach
    void stackFolder(Sandbox sandbox) throws IOException {
        this.sandbox = sandbox;
        sandbox.reset();
        stack = Files.createDirectories(dir.resolve("stacks/orders"));
        Files.writeString(stack.resolve("transactor.properties"), resource("transactor.properties"));
        Files.writeString(stack.resolve("cf.properties"), resource("cf.properties").replace("aws-ingress-groups=orders-peers\n", ""));
    }

    static String resource(String name) throws IOException {
        try (InputStream in = EnsureCliIT.class.getResourceAsStream("/ensure/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    CliRun cli(String... args) {
        return CliRun.run(sandbox.env(), args);
    }

    @Test
    void planExitsTwoAndWritesNothingApplyWritesInPlaceAndTheNextPlanExitsZero() throws IOException {
        Path tx = stack.resolve("transactor.properties");
        String original = Files.readString(tx);
        Path report = dir.resolve("plan.json");

        CliRun plan = cli("ensure-transactor", "--plan", "--report", report.toString(), tx.toString(), tx.toString());
        assertThat(plan.exitCode()).as(plan.err()).isEqualTo(2);
        assertThat(plan.out()).contains("create            dynamodb-table   orders-datomic")
                .contains("would write aws-transactor-role=datomic-aws-transactor").contains("plan: 10 to create");
        assertThat(Files.readString(tx)).isEqualTo(original);
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.path("status").asText()).isEqualTo("changes-pending");
        assertThat(json.path("awsCalls").path("mutating").asLong()).isZero();
        assertThat(json.path("phases").get(0).path("phase").asText()).isEqualTo("ensure-transactor");
        assertThat(json.path("phases").get(0).path("result").path("resources").get(0).path("action").asText()).isEqualTo("create");

        CliRun apply = cli("ensure-transactor", tx.toString(), tx.toString());
        assertThat(apply.exitCode()).as(apply.err()).isZero();
        assertThat(apply.out()).contains("done: 10 created").contains("wrote aws-peer-role=datomic-aws-peer");
        PropertiesFile written = PropertiesFile.read(tx);
        assertThat(written.get("aws-transactor-role")).hasValue("datomic-aws-transactor");
        byte[] after = Files.readAllBytes(tx);

        CliRun again = cli("ensure-transactor", "--plan", tx.toString(), tx.toString());
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("plan: 0 to create, 0 to update, 10 unchanged, 0 keys to write");
        assertThat(cli("ensure-transactor", tx.toString(), tx.toString()).exitCode()).isZero();
        assertThat(Files.readAllBytes(tx)).isEqualTo(after);
    }

    @Test
    void aDifferentOutLeavesInAloneAsBinDatomicDoes() throws IOException {
        Path in = stack.resolve("transactor.properties");
        Path out = dir.resolve("out.properties");
        String original = Files.readString(in);
        CliRun run = cli("ensure-transactor", in.toString(), out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.readString(in)).isEqualTo(original);
        assertThat(PropertiesFile.read(out).get("aws-peer-role")).hasValue("datomic-aws-peer");
    }

    @Test
    void theStackNamedInDeployPropertiesIsCheckedAndARunningStackWithLostNamesIsRefused() throws IOException {
        Files.writeString(stack.resolve("deploy.properties"), "stack-name=orders-transactor\naws-region=us-east-1\n");
        try (AwsClients aws = sandbox.clients()) {
            aws.cloudFormation("us-east-1").createStack(r -> r.stackName("orders-transactor").templateBody(
                    "{\"Resources\":{\"Handle\":{\"Type\":\"AWS::CloudFormation::WaitConditionHandle\"}}}"));
        }
        Path tx = stack.resolve("transactor.properties");
        CliRun refused = cli("ensure-transactor", tx.toString(), tx.toString());
        assertThat(refused.exitCode()).isEqualTo(3);
        assertThat(refused.err()).startsWith("error: " + tx + ": stack orders-transactor already exists, but")
                .contains("pass --adopt").contains("--allow-new-resources");
        assertThat(refused.out()).contains("system orders-transactor, stack orders-transactor");

        CliRun allowed = cli("ensure-transactor", "--allow-new-resources", tx.toString(), tx.toString());
        assertThat(allowed.exitCode()).as(allowed.err()).isZero();
        assertThat(allowed.err()).contains("warning: stack orders-transactor exists; new names");
    }

    @Test
    void ensureCfFindsTheSiblingTransactorFileAndExplainsWhatItNeedsOtherwise() throws IOException {
        Path tx = stack.resolve("transactor.properties");
        Path cf = stack.resolve("cf.properties");
        CliRun noVersion = cli("ensure-cf", cf.toString(), cf.toString());
        assertThat(noVersion.exitCode()).isEqualTo(3);
        assertThat(noVersion.err()).contains("datomic-version is missing").contains("--datomic-version");

        assertThat(cli("ensure-transactor", tx.toString(), tx.toString()).exitCode()).isZero();
        CliRun run = cli("ensure-cf", "--datomic-version", "1.0.7277", cf.toString(), cf.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("transactor role from " + tx.toAbsolutePath())
                .contains("unchanged         instance-profile datomic-aws-transactor  holds role datomic-aws-transactor").contains("wrote java-xmx=2625m");
        assertThat(PropertiesFile.read(cf).get("datomic-version")).hasValue("1.0.7277");

        Files.delete(tx);
        CliRun alone = cli("ensure-cf", "--plan", cf.toString(), cf.toString());
        assertThat(alone.exitCode()).isEqualTo(3);
        assertThat(alone.err()).contains("ensure-cf needs the transactor role").contains("--transactor");
    }

    @Test
    void badArgumentsAndFilesAreOneLineErrors() throws IOException {
        Path tx = stack.resolve("transactor.properties");
        assertThat(cli("ensure-transactor", "--engine", "bogus", tx.toString(), tx.toString()))
                .satisfies(r -> {
                    assertThat(r.exitCode()).isEqualTo(64);
                    assertThat(r.err()).contains("unknown engine 'bogus'");
                });
        assertThat(cli("ensure-transactor", "--engine", "datomic", tx.toString(), tx.toString()))
                .satisfies(r -> {
                    assertThat(r.exitCode()).isEqualTo(64);
                    assertThat(r.err()).contains("--engine datomic needs the Datomic distribution");
                });
        assertThat(cli("ensure-transactor", dir.resolve("missing.properties").toString(), "x")).satisfies(r -> {
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.err()).contains("missing.properties: file not found");
        });
        assertThat(cli("ensure-transactor", tx.toString())).satisfies(r -> assertThat(r.exitCode()).isEqualTo(64));
        Files.writeString(tx, Files.readString(tx).replace("aws-dynamodb-region=us-east-1", "aws-dynamodb-region=moon-1"));
        assertThat(cli("ensure-transactor", tx.toString(), tx.toString())).satisfies(r -> {
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.err()).contains("transactor.properties:20: 'aws-dynamodb-region' = 'moon-1' is not valid");
        });
    }

    @Test
    void theDatomicEngineRunsTheGivenDistribution() throws IOException {
        Path home = dir.resolve("datomic-pro");
        Path bin = Files.createDirectories(home.resolve("bin")).resolve("datomic");
        Files.writeString(bin, resource("datomic-fixture.sh"));
        bin.toFile().setExecutable(true);
        Path tx = stack.resolve("transactor.properties");
        CliRun run = cli("ensure-transactor", "--engine", "datomic", "--datomic-home", home.toString(), tx.toString(), tx.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("datomic engine").contains("bin/datomic: Ensuring transactor for orders-datomic");
        assertThat(PropertiesFile.read(tx).get("aws-transactor-role")).hasValue("datomic-aws-transactor");
    }
}
