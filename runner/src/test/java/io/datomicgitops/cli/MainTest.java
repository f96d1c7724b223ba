package io.datomicgitops.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {

    @Test
    void versionAndHelp() {
        CliRun version = CliRun.run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("datomic-gitops ").doesNotContain("unknown");
        CliRun help = CliRun.run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("validate").contains("Exit codes");
    }

    @Test
    void aBadOptionIsAUsageErrorWithExit64() {
        CliRun run = CliRun.run("validate", "--no-such-option", "x.properties");
        assertThat(run.exitCode()).isEqualTo(64);
        assertThat(run.err()).contains("error: Unknown option: '--no-such-option'").contains("datomic-gitops validate --help");
        assertThat(CliRun.run().exitCode()).as("no command").isEqualTo(64);
        assertThat(CliRun.run("no-such-command").exitCode()).isEqualTo(64);
    }

    @Test
    void validateReportsFileLineAndExits3AndWritesTheReport(@TempDir Path dir) throws IOException {
        Path cf = dir.resolve("cf.properties");
        Files.writeString(cf, "aws-region=us-east-1\naws-autoscaling-group-size=0\n");
        Path report = dir.resolve("report.json");
        CliRun run = CliRun.run("validate", "--report", report.toString(), cf.toString());
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).startsWith("error: " + cf + ":2: 'aws-autoscaling-group-size' = '0' is not valid");
        assertThat(Files.readString(report)).contains("\"status\": \"failed\"").contains("\"exitCode\": 3");

        Files.writeString(cf, "aws-region=us-east-1\naws-autoscaling-group-size=2\n");
        assertThat(CliRun.run("validate", cf.toString()).exitCode()).as("Datomic's required keys are missing").isEqualTo(3);
        Files.writeString(cf, "aws-region=us-east-1\naws-autoscaling-group-size=2\naws-instance-type=m4.large\n"
                + "aws-instance-monitoring=true\naws-security-group=tx\ndatomic-version=1.0.7277\n"
                + "datomic-deploy-s3-bucket=deploy-bucket-0001\n");
        assertThat(CliRun.run("validate", cf.toString()).exitCode()).isZero();
    }
}
