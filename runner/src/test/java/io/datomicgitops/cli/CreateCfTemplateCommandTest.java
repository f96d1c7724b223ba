package io.datomicgitops.cli;

import io.datomicgitops.template.TemplateFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CreateCfTemplateCommandTest {

    @Test
    void writesTheGoldenTemplateAndSaysWhenNothingChanged(@TempDir Path dir) throws IOException {
        TemplateFixtures f = TemplateFixtures.named("minimal-ddb");
        Path out = dir.resolve("stacks/orders/cf.json");
        CliRun first = CliRun.run("create-cf-template", f.txPath().toString(), f.cfPath().toString(), out.toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("wrote " + out + " (launch template, 10 parameters)").doesNotContain("NoEcho");
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(f.golden()));

        CliRun again = CliRun.run("create-cf-template", f.txPath().toString(), f.cfPath().toString(), out.toString());
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("unchanged: " + out);
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(f.golden()));
    }

    @Test
    void launchConfigurationMode(@TempDir Path dir) throws IOException {
        TemplateFixtures f = TemplateFixtures.named("launch-configuration");
        Path out = dir.resolve("cf.json");
        CliRun run = CliRun.run("create-cf-template", "--launch", "configuration", f.txPath().toString(), f.cfPath().toString(), out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(f.golden()));

        CliRun bad = CliRun.run("create-cf-template", "--launch", "lc", f.txPath().toString(), f.cfPath().toString(), out.toString());
        assertThat(bad.exitCode()).isEqualTo(64);
        assertThat(bad.err()).contains("--launch must be template or configuration, not 'lc'");
    }

    @Test
    void anInvalidFileExits3WithFileAndLineAndLeavesOutAlone(@TempDir Path dir) throws IOException {
        TemplateFixtures f = TemplateFixtures.named("minimal-ddb");
        Path cf = dir.resolve("cf.properties");
        Files.writeString(cf, Files.readString(f.cfPath()).replace("java-xmx=5734m", "java-xmx="));
        Path out = dir.resolve("cf.json");
        Files.writeString(out, "previous template\n");
        CliRun run = CliRun.run("create-cf-template", f.txPath().toString(), cf.toString(), out.toString());
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).startsWith("error: " + cf + ":22: required key 'java-xmx' is missing or blank");
        assertThat(Files.readString(out)).isEqualTo("previous template\n");
        assertThat(Files.list(dir)).hasSize(2); // no temp file left behind

        CliRun missing = CliRun.run("create-cf-template", dir.resolve("nope.properties").toString(), cf.toString(), out.toString());
        assertThat(missing.exitCode()).isEqualTo(3);
        assertThat(missing.err()).contains("nope.properties: file not found");
    }

    @Test
    void noSecretInTheOutputTheConsoleOrTheReport(@TempDir Path dir) throws IOException {
        TemplateFixtures f = TemplateFixtures.named("secrets");
        Path out = dir.resolve("cf.json");
        Path report = dir.resolve("report.json");
        CliRun run = CliRun.run("create-cf-template", "--report", report.toString(), f.txPath().toString(), f.cfPath().toString(), out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        String reportText = Files.readString(report);
        for (String text : new String[]{Files.readString(out), run.out(), run.err(), reportText}) {
            assertThat(text).doesNotContain("DO-NOT-LEAK").doesNotContain("LEDGER-LICENSE");
        }
        assertThat(run.err()).contains("warning: " + f.txPath() + ":11: 'license-key' holds a secret in plain text");
        assertThat(reportText).contains("\"phase\": \"template\"").contains("\"MemcachedPassword\": \"memcached-password\"")
                .contains("\"changed\": true");
    }
}
