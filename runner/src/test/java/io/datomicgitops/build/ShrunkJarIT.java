package io.datomicgitops.build;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.report.Json;
import io.datomicgitops.testing.ConfigRepoFixture;
import io.datomicgitops.testing.GitDaemon;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar (runner/target/datomic-gitops.jar, with the SDK classes no code reaches dropped at package time)
 * run by a JVM of its own through a deployment that calls every AWS service the runner uses, against the sandbox:
 * a class missing from the jar would fail one of these runs, which the in-process tests (the full SDK on their class
 * path) cannot see.
 */
@ExtendWith(SandboxExtension.class)
class ShrunkJarIT {
    private static final String TX = "stacks/demo/transactor.properties";
    private static final String CF = "stacks/demo/cf.properties";
    private static final String DEPLOY = "stacks/demo/deploy.properties";

    @TempDir
    Path tmp;

    record Run(int code, String output, JsonNode report) {}

    private Run jar(ConfigRepoFixture repo, String name, String... args) throws Exception {
        Path report = tmp.resolve(name + ".json");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                System.getProperty("runner.jar")));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--report", report.toString()));
        Path log = tmp.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(repo.env);
        Process p = pb.start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as(name + " finished").isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(output).as(name).doesNotContain("NoClassDefFoundError", "ClassNotFoundException", "VerifyError", "unexpected error");
        return new Run(p.exitValue(), output, Files.exists(report) ? Json.mapper().readTree(Files.readString(report)) : null);
    }

    @Test
    void aDeploymentThroughEveryServiceRunsOnThePackagedJar(Sandbox sandbox) throws Exception {
        assertThat(Path.of(System.getProperty("runner.jar"))).exists();
        try (ZipFile z = new ZipFile(System.getProperty("runner.jar"))) {
            assertThat(z.getEntry("software/amazon/awssdk/services/ec2/model/DescribeVpcsRequest.class")).as("an operation the runner calls").isNotNull();
            assertThat(z.getEntry("software/amazon/awssdk/services/ec2/model/CreateVpnGatewayResponse.class")).as("one it never calls").isNull();
        }
        sandbox.reset();
        ConfigRepoFixture repo = ConfigRepoFixture.create(tmp, sandbox);
        Set<String> called = new TreeSet<>();
        try (GitDaemon daemon = GitDaemon.start(tmp)) {
            String url = daemon.url(repo.bare);
            Path dir = repo.clone;
            // a log bucket too: S3 creates and tags
            repo.push(Map.of(TX, repo.remoteFile(TX).replace("# aws-s3-log-bucket-id=\n", "# aws-s3-log-bucket-id=\naws-s3-log-bucket-id=\n")),
                    "rotate logs to S3");
            assertThat(jar(repo, "checkout", "checkout", "--repo", url, "--dir", dir.toString()).code()).isZero();

            Run plan = jar(repo, "plan", "plan", "--dir", dir.toString(), "--plan-md", tmp.resolve("plan.md").toString());
            assertThat(plan.code()).as(plan.output()).isEqualTo(2);

            Run first = jar(repo, "apply-1", "apply", "--dir", dir.toString(), "--approved-by", "alice");
            assertThat(first.code()).as(first.output()).isZero();
            first.report().path("awsCalls").path("byOperation").fieldNames().forEachRemaining(called::add);
            // each write-ahead commit (and the tag) in the report with its write + commit + push time
            assertThat(first.report().path("commits")).hasSizeGreaterThanOrEqualTo(4).allSatisfy(c -> {
                assertThat(c.path("pushed").asBoolean()).isTrue();
                assertThat(c.path("durationMs").isIntegralNumber()).as(c.toString()).isTrue();
                assertThat(c.path("durationMs").asLong()).isBetween(0L, 60_000L);
            });

            // guarded by the standard alarms: CloudWatch's alarm operations through the packaged jar
            repo.push(Map.of(CF, repo.remoteFile(CF).replace("aws-instance-type=m5.large", "aws-instance-type=m5.xlarge"),
                    DEPLOY, repo.remoteFile(DEPLOY).replace("replace-strategy=terminate", "replace-strategy=surge")
                            + "guard-standard-alarms=true\nguard-bake=1s\n"), "m5.xlarge, surge, guarded");
            assertThat(jar(repo, "checkout-2", "checkout", "--repo", url, "--dir", dir.toString()).code()).isZero();
            Run second = jar(repo, "apply-2", "apply", "--dir", dir.toString(), "--approved-by", "bob");
            assertThat(second.code()).as(second.output()).isZero();
            assertThat(second.report().path("stacks").path("demo").path("instancesReplaced")).isNotEmpty();
            second.report().path("awsCalls").path("byOperation").fieldNames().forEachRemaining(called::add);

            Run status = jar(repo, "status", "status", "--dir", dir.toString());
            assertThat(status.code()).as(status.output()).isZero();
            Run updatePlan = jar(repo, "update-stack", "update-stack", "--stack-dir", dir.resolve("stacks/demo").toString(), "--plan");
            assertThat(updatePlan.code()).as(updatePlan.output()).isIn(0, 2);
        }
        assertThat(called).as("the services the runner uses, each called through the packaged jar")
                .anyMatch(op -> op.startsWith("Sts:")).anyMatch(op -> op.startsWith("DynamoDb:")).anyMatch(op -> op.startsWith("Iam:"))
                .anyMatch(op -> op.startsWith("S3:")).anyMatch(op -> op.startsWith("Ec2:")).anyMatch(op -> op.startsWith("CloudFormation:"))
                .anyMatch(op -> op.startsWith("AutoScaling:")).anyMatch(op -> op.startsWith("CloudWatch:"))
                .contains("S3:CreateBucket", "Ec2:CreateSecurityGroup", "Ec2:AuthorizeSecurityGroupIngress", "Ec2:DescribeInstanceTypes",
                        "Iam:CreateRole", "Iam:PutRolePolicy", "Iam:CreateInstanceProfile", "DynamoDb:CreateTable",
                        "CloudFormation:ExecuteChangeSet", "AutoScaling:SetDesiredCapacity", "CloudWatch:PutMetricAlarm",
                        "CloudWatch:DescribeAlarms");
    }
}
