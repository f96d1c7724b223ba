package io.datomicgitops.template;

import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.config.Redactor;
import io.datomicgitops.config.Secrets;
import io.datomicgitops.testing.AwsCli;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated templates create working stacks in the sandbox, through CreateStack with every parameter passed
 * (the sandbox's ValidateTemplate runs cfn-lint with its own rules, so it is not used). A launch template with
 * Datomic's ephemeral-disk mapping trips a sandbox defect (KeyError on a mapping without Ebs), so the launch
 * template cases here use current instance types, which get no such mapping.
 */
@ExtendWith(SandboxExtension.class)
class TemplateStackIT {
    private static final String REGION = Sandbox.REGION;
    private static final Map<String, String> ENV = Map.of(
            "DATOMIC_SHELL_PASSWORD", "pw-$HOME-`id`-$(touch pwned)-'q'",
            "DATOMIC_MEMCACHED_PASSWORD", "memcached-secret-value");

    @Test
    void anHaTemplateRunsTwoTransactorsWithRoomForAThird(Sandbox sandbox) {
        try (AwsClients aws = sandbox.clients()) {
            securityGroup(aws, "datomic");
            TemplateFixtures f = TemplateFixtures.named("ha");
            AutoScalingGroup group = createStack(aws, "billing-ha", f.tx(), f.cf(), f.options());
            assertThat(group.instances()).hasSize(2);
            assertThat(group.minSize()).isEqualTo(2);
            assertThat(group.desiredCapacity()).isEqualTo(2);
            assertThat(group.maxSize()).isEqualTo(3);
            assertThat(group.launchTemplate()).isNotNull();
            assertThat(group.launchConfigurationName()).isNull();
        }
    }

    @Test
    void aLaunchConfigurationTemplateRunsItsTransactor(Sandbox sandbox) {
        try (AwsClients aws = sandbox.clients()) {
            securityGroup(aws, "datomic");
            TemplateFixtures f = TemplateFixtures.named("launch-configuration");
            AutoScalingGroup group = createStack(aws, "orders-lc", f.tx(), f.cf(), f.options());
            assertThat(group.instances()).hasSize(1);
            assertThat(group.launchConfigurationName()).isNotBlank();
            assertThat(group.launchTemplate()).isNull();
        }
    }

    @Test
    void vpcSubnetsAndAGroupIdPlaceTheTransactors(Sandbox sandbox) {
        try (AwsClients aws = sandbox.clients()) {
            Ec2Client ec2 = aws.ec2(REGION);
            String vpc = ec2.createVpc(b -> b.cidrBlock("10.20.0.0/16")).vpc().vpcId();
            String a = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.20.1.0/24").availabilityZone("us-east-1a")).subnet().subnetId();
            String b2 = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.20.2.0/24").availabilityZone("us-east-1b")).subnet().subnetId();
            String sg = ec2.createSecurityGroup(b -> b.groupName("orders-transactor").description("transactor").vpcId(vpc)).groupId();

            TemplateFixtures f = TemplateFixtures.named("vpc-subnets");
            PropertiesFile cf = f.cf();
            cf.set("aws-subnets", a + "," + b2);
            cf.set("aws-security-group", sg);
            cf.set("aws-autoscaling-group-size", "2");
            AutoScalingGroup group = createStack(aws, "orders-vpc", f.tx(), cf, f.options());
            assertThat(group.instances()).hasSize(2);
            assertThat(List.of(group.vpcZoneIdentifier().split(","))).containsExactlyInAnyOrder(a, b2);
            List<String> subnets = ec2.describeInstances(r -> r.instanceIds(group.instances().stream().map(i -> i.instanceId()).toList()))
                    .reservations().stream().flatMap(r -> r.instances().stream()).map(i -> i.subnetId()).toList();
            assertThat(subnets).isNotEmpty().allMatch(s -> s.equals(a) || s.equals(b2));
        }
    }

    /**
     * The secret reaches the instance: CloudFormation fills the NoEcho parameters into the user data, and the script
     * writes them, unexpanded, into aws.properties; a secret given by its ARN is read at boot from the sandbox's
     * Secrets Manager by the AWS CLI itself, and is in neither the template nor the user data. Runs the user data (as
     * the sandbox resolved it) with bash, with curl/logger/tee and aws s3 stubbed and /datomic pointed at a temporary
     * folder.
     */
    @Test
    void secretsReachTheInstanceButNotTheStoredTemplate(Sandbox sandbox, @TempDir Path dir) throws Exception {
        try (AwsClients aws = sandbox.clients()) {
            securityGroup(aws, "datomic");
            TemplateFixtures f = TemplateFixtures.named("secrets");
            PropertiesFile tx = f.tx();
            Path storagePassword = dir.resolve("storage-password");
            Files.writeString(storagePassword, "storage-secret-value\n");
            tx.set("storage-datomic-password", "${file:" + storagePassword + "}");
            tx.set("data-dir", "/data/$HOME/`id`/$(touch pwned)");
            String sqlPassword = AwsCli.run(sandbox.env(), sandbox.endpoint(), "secretsmanager", "create-secret", "--region", REGION, "--name",
                    "ledger/datomic/sql-" + System.nanoTime(), "--secret-string", "sql-secret\\value-$(touch pwned)",
                    "--query", "ARN", "--output", "text").strip();
            tx.set("sql-password", sqlPassword);
            PropertiesFile cf = f.cf();
            cf.set("aws-instance-type", "m5.large");
            GeneratedTemplate template = new TemplateGenerator().generate(tx, cf, f.options());
            AutoScalingGroup group = createStack(aws, "ledger", tx, cf, template);
            assertThat(group.instances()).hasSize(1);

            String stored = aws.cloudFormation(REGION).getTemplate(b -> b.stackName("ledger")).templateBody();
            assertThat(stored).doesNotContain("DO-NOT-LEAK", "sql-secret", "storage-secret-value", "memcached-secret-value")
                    .contains(sqlPassword);

            String launchTemplateId = aws.cloudFormation(REGION).describeStackResources(b -> b.stackName("ledger")).stackResources()
                    .stream().filter(r -> r.logicalResourceId().equals(TemplateGenerator.LAUNCH_TEMPLATE))
                    .map(StackResource::physicalResourceId).findFirst().orElseThrow();
            String userData = aws.ec2(REGION).describeLaunchTemplateVersions(b -> b.launchTemplateId(launchTemplateId).versions("$Latest"))
                    .launchTemplateVersions().get(0).launchTemplateData().userData();
            String script = new String(Base64.getDecoder().decode(userData), StandardCharsets.UTF_8);
            assertThat(script).doesNotContain("sql-secret").contains(sqlPassword);

            Path written = runUserData(script, dir, sandbox);
            List<String> lines = Files.readAllLines(written);
            assertThat(lines.get(0)).isEqualTo("host=10.1.2.3");
            assertThat(lines).noneMatch(l -> l.startsWith("alt-host="))
                    .contains("protocol=sql",
                            "license-key=Zx9Q-LEDGER-LICENSE-7f3a91c2e8b04d6aa5e1c0b9d2f47e68-DO-NOT-LEAK",
                            "sql-password=sql-secret\\\\value-$(touch pwned)", // as the secret's text, escaped for the properties file
                            "storage-datomic-password=storage-secret-value",
                            "memcached-password=memcached-secret-value",
                            "data-dir=/data/$HOME/`id`/$(touch pwned)");
            assertThat(dir.resolve("datomic/pwned")).doesNotExist();
            assertThat(Files.readString(dir.resolve("env.txt"))).isEqualTo("5734m||1.0.6711|deploy-a0dbc565-faf2-4760-9b7e-29a8e45f428e\n");
            assertThat(Files.readString(dir.resolve("aws-args.txt")))
                    .isEqualTo("s3 cp s3://deploy-a0dbc565-faf2-4760-9b7e-29a8e45f428e/1.0.6711/startup.sh startup.sh\n");
        }
    }

    @Test
    void aPlaceholderSecretWithShellCharactersArrivesVerbatim(Sandbox sandbox, @TempDir Path dir) throws Exception {
        try (AwsClients aws = sandbox.clients()) {
            securityGroup(aws, "datomic");
            TemplateFixtures f = TemplateFixtures.named("ha");
            PropertiesFile tx = f.tx();
            tx.set("memcached-password", "${env:DATOMIC_SHELL_PASSWORD}");
            AutoScalingGroup group = createStack(aws, "billing-shell", tx, f.cf(), f.options());
            assertThat(group.instances()).hasSize(2);
            String launchTemplateId = group.launchTemplate().launchTemplateId();
            String userData = aws.ec2(REGION).describeLaunchTemplateVersions(b -> b.launchTemplateId(launchTemplateId).versions("$Latest"))
                    .launchTemplateVersions().get(0).launchTemplateData().userData();
            Path written = runUserData(new String(Base64.getDecoder().decode(userData), StandardCharsets.UTF_8), dir, sandbox);
            assertThat(Files.readAllLines(written)).contains("memcached-password=pw-$HOME-`id`-$(touch pwned)-'q'", "heartbeat-interval-msec=10000");
            assertThat(dir.resolve("datomic/pwned")).doesNotExist();
            assertThat(Files.readString(dir.resolve("env.txt"))).isEqualTo("11468m|-XX:+UseG1GC -XX:MaxGCPauseMillis=50|1.0.7277|"
                    + "deploy-a0dbc565-faf2-4760-9b7e-29a8e45f428e\n");
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static AutoScalingGroup createStack(AwsClients aws, String name, PropertiesFile tx, PropertiesFile cf, TemplateOptions options) {
        return createStack(aws, name, tx, cf, new TemplateGenerator().generate(tx, cf, options));
    }

    private static AutoScalingGroup createStack(AwsClients aws, String name, PropertiesFile tx, PropertiesFile cf, GeneratedTemplate t) {
        CloudFormationClient cfn = aws.cloudFormation(REGION);
        Map<String, String> values = t.parameterValues(tx, cf, new Secrets(ENV::get, new Redactor(),
                // the tests' secret files are written under the JVM's temp folder (@TempDir)
                new io.datomicgitops.config.SecretSources(java.util.Set.of(), java.util.List.of(Path.of(System.getProperty("java.io.tmpdir"))))));
        cfn.createStack(b -> b.stackName(name).templateBody(t.json())
                .parameters(values.entrySet().stream().map(e -> Parameter.builder().parameterKey(e.getKey()).parameterValue(e.getValue()).build()).toList()));
        assertThat(cfn.describeStacks(b -> b.stackName(name)).stacks().get(0).stackStatus()).isEqualTo(StackStatus.CREATE_COMPLETE);
        String groupName = cfn.describeStackResources(b -> b.stackName(name)).stackResources().stream()
                .filter(r -> r.logicalResourceId().equals(TemplateGenerator.GROUP)).map(StackResource::physicalResourceId)
                .findFirst().orElseThrow();
        AutoScalingClient asg = aws.autoScaling(REGION);
        return asg.describeAutoScalingGroups(b -> b.autoScalingGroupNames(groupName)).autoScalingGroups().get(0);
    }

    private static void securityGroup(AwsClients aws, String name) {
        Ec2Client ec2 = aws.ec2(REGION);
        boolean exists = ec2.describeSecurityGroups().securityGroups().stream().anyMatch(g -> g.groupName().equals(name));
        if (!exists) ec2.createSecurityGroup(b -> b.groupName(name).description("transactor"));
    }

    /**
     * Runs the user data with bash; returns the aws.properties the start-up script saw. {@code aws secretsmanager} is
     * the AWS CLI itself, against the sandbox (as the instance's role would call it); {@code aws s3 cp} is stubbed.
     */
    private static Path runUserData(String script, Path dir, Sandbox sandbox) throws IOException, InterruptedException {
        Path home = Files.createDirectories(dir.resolve("datomic"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        stub(bin, "curl", "case \"$*\" in *api/token*) echo token-1;; *local-ipv4*) echo 10.1.2.3;; *) exit 22;; esac");
        stub(bin, "logger", "cat >/dev/null");
        stub(bin, "tee", "cat");
        stub(bin, "aws", "if [ \"$1\" = secretsmanager ]; then AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing exec '"
                + AwsCli.path() + "' --endpoint-url '" + sandbox.endpoint() + "' \"$@\"; fi\n"
                + "echo \"$*\" >'" + dir.resolve("aws-args.txt") + "'\n"
                + "printf '#!/bin/sh\\ncp aws.properties \"%s/seen.properties\"\\necho \"$XMX|$JAVA_OPTS|$DATOMIC_VERSION|$DATOMIC_DEPLOY_BUCKET\" >\"%s/env.txt\"\\n' '"
                + dir + "' '" + dir + "' >startup.sh");
        String original = "cd /datomic || exit 1";
        assertThat(script).containsOnlyOnce(original);
        Path file = dir.resolve("user-data.sh");
        Files.writeString(file, script.replace(original, "cd '" + home + "' || exit 1"));
        ProcessBuilder pb = new ProcessBuilder("bash", file.toString()).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("HOME", "/home/transactor");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return dir.resolve("seen.properties");
    }

    private static void stub(Path bin, String name, String body) throws IOException {
        Path f = bin.resolve(name);
        Files.writeString(f, "#!/bin/bash\n" + body + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
