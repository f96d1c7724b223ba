package io.datomicgitops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.report.Json;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.autoscaling.model.Instance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** update-stack, create-cf-stack and replace-instances as an operator runs them, against the sandbox. */
@ExtendWith(SandboxExtension.class)
class UpdateStackCommandIT {
    private static final String LICENSE = "cli-license-key-0123456789";

    static String fixture(String name) throws IOException {
        try (InputStream in = UpdateStackCommandIT.class.getResourceAsStream("/stack/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A stack folder as the config repo holds it: deploy.properties and the generated cf.json. */
    static Path stackDir(Path root, String stack, String extraDeploy) throws IOException {
        Path dir = Files.createDirectories(root.resolve(stack));
        Files.writeString(dir.resolve("deploy.properties"), "stack-name=" + stack + "\naws-region=us-east-1\n"
                + "stack-timeout=5m\nreplace-timeout=5m\nhealth-timeout=2m\n" + extraDeploy);
        Files.writeString(dir.resolve("cf.json"), fixture("transactor-group.json"));
        return dir;
    }

    static Map<String, String> env(Sandbox sandbox) {
        Map<String, String> env = new LinkedHashMap<>(sandbox.env());
        env.put("DATOMIC_TEST_LICENSE", LICENSE);
        return env;
    }

    static JsonNode report(Path file) throws IOException {
        return Json.mapper().readTree(Files.readString(file));
    }

    @Test
    void appliesPlansAndReappliesAStackFolderWithoutLeakingTheSecretParameter(Sandbox sandbox, @TempDir Path tmp) throws IOException {
        Path dir = stackDir(tmp, "cli-apply", "termination-protection=false\n");
        Path report = tmp.resolve("report.json");

        CliRun created = CliRun.run(env(sandbox), "update-stack", "--stack-dir", dir.toString(), "-p", "LicenseKey=${env:DATOMIC_TEST_LICENSE}",
                "--config-repo", "https://git.example.com/ops/config.git", "--commit", "c0ffee1", "--report", report.toString());
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("| Add | LaunchGroup | AWS::AutoScaling::AutoScalingGroup |")
                .contains("stack cli-apply: created, CREATE_COMPLETE, autoscaling group cli-apply-LaunchGroup-");
        JsonNode r = report(report);
        assertThat(r.path("status").asText()).isEqualTo("ok");
        JsonNode phase = r.path("phases").get(0);
        assertThat(phase.path("phase").asText()).isEqualTo("update-stack");
        assertThat(phase.path("result").path("outcome").asText()).isEqualTo("created");
        assertThat(phase.path("result").path("events").size()).isGreaterThan(0);

        // plan a change: exit 2, Markdown written, nothing changed
        Files.writeString(dir.resolve("cf.json"), fixture("transactor-group.json").replace("ami-0a1b2c3d4e5f60001", "ami-0a1b2c3d4e5f60009"));
        Path md = tmp.resolve("plan.md");
        CliRun plan = CliRun.run(env(sandbox), "update-stack", "--stack-dir", dir.toString(), "-p", "LicenseKey=${env:DATOMIC_TEST_LICENSE}",
                "--config-repo", "https://git.example.com/ops/config.git", "--commit", "c0ffee1", "--plan", "--preview-markdown", md.toString(),
                "--report", report.toString());
        assertThat(plan.exitCode()).as(plan.err()).isEqualTo(2);
        assertThat(Files.readString(md)).contains("### Stack `cli-apply`").contains("`ImageId`: `ami-0a1b2c3d4e5f60001` → `ami-0a1b2c3d4e5f60009`");
        assertThat(report(report).path("phases").get(0).path("phase").asText()).isEqualTo("plan-stack");
        assertThat(report(report).path("awsCalls").path("mutating").asInt()).isZero();

        // back to the deployed template: nothing to change, exit 0
        Files.writeString(dir.resolve("cf.json"), fixture("transactor-group.json"));
        CliRun again = CliRun.run(env(sandbox), "update-stack", "--stack-dir", dir.toString(), "-p", "LicenseKey=${env:DATOMIC_TEST_LICENSE}",
                "--config-repo", "https://git.example.com/ops/config.git", "--commit", "c0ffee1", "--report", report.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("stack cli-apply: no-changes");

        for (CliRun run : List.of(created, plan, again)) assertThat(run.out() + run.err()).doesNotContain(LICENSE);
        assertThat(Files.readString(report)).doesNotContain(LICENSE);
        assertThat(Files.readString(md)).doesNotContain(LICENSE);
    }

    @Test
    void replaceInstancesFindsTheGroupFromTheStackAfterAnUpdateAndReplacesWithSurge(Sandbox sandbox, @TempDir Path tmp) throws IOException {
        Path dir = stackDir(tmp, "cli-replace", "termination-protection=false\nreplace-strategy=surge\n");
        Files.writeString(dir.resolve("transactor.properties"), "protocol=ddb\nhost=localhost\nport=4334\n");
        Map<String, String> env = env(sandbox);
        assertThat(CliRun.run(env, "update-stack", "--stack-dir", dir.toString()).exitCode()).isZero();

        CliRun nothing = CliRun.run(env, "replace-instances", "--stack-dir", dir.toString(), "--plan");
        assertThat(nothing.exitCode()).as(nothing.err()).isZero();
        assertThat(nothing.out()).contains(": nothing to replace");

        List<String> before;
        try (AwsClients aws = sandbox.clients()) {
            before = instances(aws, "cli-replace");
        }
        // a new instance type: a new launch template version; the sandbox recreates the group (a new name) on such an update
        CliRun update = CliRun.run(env, "update-stack", "--stack-dir", dir.toString(), "-p", "InstanceType=t3.large");
        assertThat(update.exitCode()).as(update.err()).isZero();

        // the instances recorded before the update are gone with the old group: nothing of them is left to replace
        CliRun limited = CliRun.run(env, "replace-instances", "--stack-dir", dir.toString(), "--instances", String.join(",", before));
        assertThat(limited.exitCode()).as(limited.err()).isZero();
        assertThat(limited.out()).contains("nothing to replace");

        Path report = tmp.resolve("replace.json");
        CliRun all = CliRun.run(env, "replace-instances", "--stack-dir", dir.toString(), "--all", "--report", report.toString());
        assertThat(all.exitCode()).as(all.err()).isZero();
        JsonNode result = report(report).path("phases").get(0).path("result");
        assertThat(result.path("strategy").asText()).isEqualTo("surge");
        assertThat(result.path("zeroInServiceSeconds").asDouble()).isZero();
        assertThat(result.path("replaced").size()).isEqualTo(1);
        try (AwsClients aws = sandbox.clients()) {
            List<String> now = instances(aws, "cli-replace");
            assertThat(now).hasSize(1).doesNotContain(result.path("replaced").get(0).asText()).doesNotContainAnyElementsOf(before);
        }
    }

    @Test
    void instanceRefreshInTheSandboxFailsNamingTheStrategiesThatWork(Sandbox sandbox, @TempDir Path tmp) throws IOException {
        Path dir = stackDir(tmp, "cli-refresh", "termination-protection=false\nreplace-strategy=instance-refresh\n");
        assertThat(CliRun.run(env(sandbox), "update-stack", "--stack-dir", dir.toString()).exitCode()).isZero();
        CliRun refresh = CliRun.run(env(sandbox), "replace-instances", "--stack-dir", dir.toString(), "--all", "--max-attempts", "1");
        assertThat(refresh.exitCode()).isEqualTo(1);
        assertThat(refresh.err()).contains("instance refresh is not available here").contains("--strategy surge");
    }

    @Test
    void terminationProtectionThatCannotBeTurnedOnIsAWarningNotAFailure(Sandbox sandbox, @TempDir Path tmp) throws IOException {
        // termination-protection defaults to true; the sandbox does not implement UpdateTerminationProtection (HTTP 500)
        Path dir = stackDir(tmp, "cli-protect", "");
        CliRun run = CliRun.run(env(sandbox), "update-stack", "--stack-dir", dir.toString(), "--max-attempts", "1");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("warning: stack cli-protect: could not turn termination protection on")
                .contains("aws cloudformation update-termination-protection --enable-termination-protection --stack-name cli-protect");
    }

    @Test
    void createCfStackKeepsDatomicsArgumentsAndRefusesAnExistingStack(Sandbox sandbox, @TempDir Path tmp) throws IOException {
        Path json = tmp.resolve("cf.json");
        Files.writeString(json, fixture("no-parameters.json"));
        CliRun created = CliRun.run(sandbox.env(), "create-cf-stack", "us-east-1", "cli-datomic", json.toString());
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("stack cli-datomic: CREATE_COMPLETE");

        CliRun again = CliRun.run(sandbox.env(), "create-cf-stack", "us-east-1", "cli-datomic", json.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("stack cli-datomic: the stack already exists (CREATE_COMPLETE)")
                .contains("datomic-gitops update-stack --stack-name cli-datomic");
    }

    @Test
    void badUsageIsExit64WithTheOptionNamed(Sandbox sandbox, @TempDir Path tmp) throws IOException {
        assertThat(CliRun.run(sandbox.env(), "update-stack", "--template", "x.json").err()).contains("no stack named");
        assertThat(CliRun.run(sandbox.env(), "update-stack", "--template", "x.json").exitCode()).isEqualTo(64);
        Path dir = stackDir(tmp, "cli-usage", "termination-protection=false\n");
        CliRun badDuration = CliRun.run(sandbox.env(), "update-stack", "--stack-dir", dir.toString(), "--timeout", "soon");
        assertThat(badDuration.exitCode()).isEqualTo(64);
        assertThat(badDuration.err()).contains("--timeout: 'soon' is not a duration");
        CliRun badStrategy = CliRun.run(sandbox.env(), "replace-instances", "--group", "g", "--strategy", "yolo");
        assertThat(badStrategy.exitCode()).isEqualTo(64);
        assertThat(badStrategy.err()).contains("unknown replacement strategy 'yolo'");
        CliRun noRollback = CliRun.run(sandbox.env(), "update-stack", "--stack-name", "cli-usage-none", "--continue-rollback");
        assertThat(noRollback.exitCode()).isEqualTo(1);
        assertThat(noRollback.err()).contains("stack cli-usage-none: no such stack");
    }

    private static List<String> instances(AwsClients aws, String stack) {
        String group = aws.cloudFormation("us-east-1").describeStackResources(r -> r.stackName(stack)).stackResources().stream()
                .filter(s -> s.resourceType().equals("AWS::AutoScaling::AutoScalingGroup")).findFirst().orElseThrow().physicalResourceId();
        return aws.autoScaling("us-east-1").describeAutoScalingGroups(r -> r.autoScalingGroupNames(group)).autoScalingGroups().get(0)
                .instances().stream().map(Instance::instanceId).toList();
    }
}
