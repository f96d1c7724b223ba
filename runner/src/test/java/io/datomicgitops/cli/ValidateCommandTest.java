package io.datomicgitops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.report.Json;
import io.datomicgitops.testing.ConfigRepoFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** validate through the CLI: the example stack, one finding per line, the report's findings, the exit codes. */
class ValidateCommandTest {
    @TempDir
    Path dir;
    Path stack;
    Path tx;
    Path cf;
    Path deploy;
    Path report;
    final Map<String, String> env = new LinkedHashMap<>(Map.of("DATOMIC_LICENSE_KEY", ConfigRepoFixture.LICENSE));

    @BeforeEach
    void exampleStack() throws IOException {
        stack = Files.createDirectories(dir.resolve("stacks/demo"));
        for (var e : ConfigRepoFixture.exampleFiles().entrySet()) {
            if (e.getKey().startsWith("stacks/demo/")) Files.writeString(dir.resolve(e.getKey()), e.getValue());
        }
        tx = stack.resolve("transactor.properties");
        cf = stack.resolve("cf.properties");
        deploy = stack.resolve("deploy.properties");
        report = dir.resolve("report.json");
    }

    private CliRun validate(String... paths) {
        List<String> args = new java.util.ArrayList<>(List.of("validate", "--report", report.toString()));
        args.addAll(List.of(paths));
        return CliRun.run(env, args.toArray(String[]::new));
    }

    /** The example stack has no secret (Datomic 1.0.7277 needs no license key): gives it a memcached password. */
    private void secret(String value) throws IOException {
        edit(tx, "aws-dynamodb-table=demo-datomic\n", "memcached-password=" + value + "\naws-dynamodb-table=demo-datomic\n");
    }

    private void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).contains(from);
        Files.writeString(file, text.replace(from, to));
    }

    private static int line(Path file, String startsWith) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).startsWith(startsWith)) return i + 1;
        throw new AssertionError("no " + startsWith + " in " + file);
    }

    @Test
    void theExampleStackIsValidWithItsOneWarningAcknowledged() throws IOException {
        CliRun run = validate(stack.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out().lines().toList()).containsExactly(
                "warning (acknowledged) instance-type-not-in-datomic-map: " + cf + ":" + line(cf, "aws-instance-type=") + ": instance type "
                        + "m5.large is not in Datomic's instance map (instance-arch.edn lists types up to m4, c4, r4 and i3): "
                        + "the template maps it to 64h (64-bit HVM), and ensure-cf derives java-xmx from its memory as EC2 "
                        + "reports it (this runner's table: 8192 MiB) instead of Datomic's table; check that Datomic's AMI "
                        + "boots it, or set aws-ami to an image of your own",
                "ok: 3 file(s) valid: 0 errors, 1 warning, 0 info (1 acknowledged)");
        assertThat(run.err()).isEmpty();
        JsonNode json = Json.mapper().readTree(report.toFile());
        assertThat(json.path("status").asText()).isEqualTo("ok");
        assertThat(json.path("findings")).hasSize(1);
        JsonNode f = json.path("findings").get(0);
        assertThat(f.path("severity").asText()).isEqualTo("warning");
        assertThat(f.path("code").asText()).isEqualTo("instance-type-not-in-datomic-map");
        assertThat(f.path("where").asText()).isEqualTo(cf + ":" + line(cf, "aws-instance-type="));
        assertThat(f.path("acknowledged").asBoolean()).as("deploy.properties: acknowledge=instance-type-not-in-datomic-map").isTrue();
        assertThat(List.of(f.fieldNames()).toString()).isNotEmpty();
        assertThat(Files.readString(report)).contains("\"findings\": [\n    {\n      \"severity\": \"warning\",\n      \"code\": ");
    }

    @Test
    void aPlaceholderOutsideTheRunnersAllowListIsRefusedAsPlanWouldRefuseIt() throws IOException {
        secret("${env:AWS_SECRET_ACCESS_KEY}");
        CliRun run = validate(tx.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(3);
        assertThat(run.err()).contains("'memcached-password' refers to the environment variable AWS_SECRET_ACCESS_KEY, which is not on the "
                + "runner's secret allow-list").contains(tx + ":" + line(tx, "memcached-password="));
    }

    @Test
    void anAcknowledgedWarningIsPrintedAsSuchAndStillExits0() throws IOException {
        Files.writeString(deploy, Files.readString(deploy) + "acknowledge=instance-type-not-in-datomic-map\n");
        CliRun run = validate(cf.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("warning (acknowledged) instance-type-not-in-datomic-map: " + cf + ":")
                .contains("ok: 1 file(s) valid: 0 errors, 1 warning, 0 info (1 acknowledged)");
        assertThat(Json.mapper().readTree(report.toFile()).path("findings").get(0).path("acknowledged").asBoolean()).isTrue();
    }

    @Test
    void missingCfKeysAndAnUnknownInstanceTypeExit3WithEveryErrorOnItsLineAndOneErrorLine() throws IOException {
        edit(cf, "aws-instance-type=m5.large", "aws-instance-type=m5.huge");
        edit(cf, "aws-instance-monitoring=true\n", "");
        edit(cf, "aws-autoscaling-group-size=1\n", "");
        CliRun run = validate(cf.toString());
        assertThat(run.exitCode()).isEqualTo(3);
        List<String> out = run.out().lines().toList();
        assertThat(out).hasSize(4);
        assertThat(out.get(0)).isEqualTo("error missing-required-key: " + cf + ": required key 'aws-instance-monitoring' is "
                + "missing or blank: set aws-instance-monitoring=true or false");
        assertThat(out.get(1)).startsWith("error missing-required-key: " + cf + ": required key 'aws-autoscaling-group-size'");
        assertThat(out.get(2)).startsWith("error unknown-instance-type: " + cf + ":" + line(cf, "aws-instance-type=")
                + ": 'aws-instance-type' = 'm5.huge' is not an EC2 instance type");
        assertThat(out.get(3)).isEqualTo("1 file(s) checked: 3 errors, 0 warnings, 0 info");
        assertThat(run.err().lines().toList()).containsExactly("error: " + cf + ": required key 'aws-instance-monitoring' is "
                + "missing or blank: set aws-instance-monitoring=true or false (fix it and the 2 other error(s) listed above, "
                + "and run validate again)");
        JsonNode json = Json.mapper().readTree(report.toFile());
        assertThat(json.path("exitCode").asInt()).isEqualTo(3);
        assertThat(json.path("findings")).hasSize(3);
        assertThat(json.path("error").path("where").asText()).isEqualTo(cf.toString());
    }

    @Test
    void aSingleFileIsCheckedWithItsFolderButOnlyItsFindingsAreReported() throws IOException {
        secret(ConfigRepoFixture.LICENSE);
        edit(cf, "java-xmx=\n", "java-xmx=1g\n");
        CliRun cfOnly = validate(cf.toString());
        assertThat(cfOnly.exitCode()).as("object cache + memory index above cf's heap").isEqualTo(3);
        assertThat(cfOnly.out()).contains("error cache-above-heap: " + tx + ":" + line(tx, "object-cache-max="))
                .doesNotContain("plain-text-secret");
        CliRun deployOnly = validate(deploy.toString());
        assertThat(deployOnly.exitCode()).isZero();
        assertThat(deployOnly.out()).isEqualTo("ok: 1 file(s) valid: 0 errors, 0 warnings, 0 info\n");
        CliRun txOnly = validate(tx.toString());
        assertThat(txOnly.out()).contains("warning plain-text-secret: " + tx + ":" + line(tx, "memcached-password="))
                .contains("error cache-above-heap").doesNotContain(ConfigRepoFixture.LICENSE);
        assertThat(Files.readString(report)).doesNotContain(ConfigRepoFixture.LICENSE);
    }

    @Test
    void anEmptySecretIsAnErrorThatNeverShowsAValue() throws IOException {
        secret("${env:DATOMIC_MEMCACHED_PASSWORD}");
        env.put("DATOMIC_MEMCACHED_PASSWORD", "");
        CliRun run = validate(stack.toString());
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).startsWith("error: " + tx + ":" + line(tx, "memcached-password=") + ": 'memcached-password' refers to the "
                + "environment variable DATOMIC_MEMCACHED_PASSWORD, which is set but empty");
    }

    @Test
    void aFileOfUnknownKindIsAUsageErrorAndAFolderWithoutFilesIsInvalid() throws IOException {
        Files.writeString(dir.resolve("README.md"), "# x\n");
        assertThat(validate(dir.resolve("README.md").toString()).exitCode()).isEqualTo(64);
        CliRun empty = validate(Files.createDirectories(dir.resolve("empty")).toString());
        assertThat(empty.exitCode()).isEqualTo(3);
        assertThat(empty.err()).contains("no transactor.properties, cf.properties or deploy.properties in this folder");
        CliRun missing = validate(dir.resolve("nope/cf.properties").toString());
        assertThat(missing.exitCode()).isEqualTo(3);
        assertThat(missing.err()).contains("file not found");
    }

    @Test
    void helpSaysTheExitCodes() {
        CliRun help = CliRun.run("validate", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Exit codes: 0 no error").contains("3 an error").contains("acknowledge=");
    }
}
