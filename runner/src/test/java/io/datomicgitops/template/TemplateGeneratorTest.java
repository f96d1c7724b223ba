package io.datomicgitops.template;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.config.Redactor;
import io.datomicgitops.config.Secrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Golden files (regenerate with {@code -Dgolden.update=true} and review the diff), determinism, small diffs,
 * secrets kept out, and every input error with its file:line.
 */
class TemplateGeneratorTest {
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    static List<TemplateFixtures> cases() {
        return TemplateFixtures.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesItsGoldenFile(TemplateFixtures fixture) throws IOException {
        byte[] generated = fixture.generate().bytes();
        if (UPDATE) Files.write(fixture.golden(), generated);
        assertThat(fixture.golden()).exists();
        assertThat(new String(generated, StandardCharsets.UTF_8)).isEqualTo(Files.readString(fixture.golden(), StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void identicalInputGivesIdenticalBytes(TemplateFixtures fixture) {
        byte[] first = fixture.generate().bytes();
        byte[] second = new TemplateGenerator().generate(fixture.tx(), fixture.cf(), fixture.options()).bytes();
        assertThat(second).isEqualTo(first);
        String text = new String(first, StandardCharsets.UTF_8);
        assertThat(text).endsWith("}\n").doesNotContain("\r").doesNotContain("\t");
    }

    @Test
    void aOneKeyChangeInTheTransactorIsAOneLineDiff() {
        TemplateFixtures f = TemplateFixtures.named("minimal-ddb");
        PropertiesFile tx = f.tx();
        String before = new TemplateGenerator().generate(tx, f.cf(), f.options()).json();
        tx.set("memory-index-max", "1g");
        String after = new TemplateGenerator().generate(tx, f.cf(), f.options()).json();
        assertThat(changedLines(before, after)).containsExactly("\"memory-index-max=1g\",");
    }

    @Test
    void growingTheGroupChangesItsTwoSizesOnly() {
        TemplateFixtures f = TemplateFixtures.named("minimal-ddb");
        PropertiesFile cf = f.cf();
        String before = new TemplateGenerator().generate(f.tx(), cf, f.options()).json();
        cf.set("aws-autoscaling-group-size", "2");
        String after = new TemplateGenerator().generate(f.tx(), cf, f.options()).json();
        assertThat(changedLines(before, after)).containsExactly("\"Default\": \"2\",", "\"Default\": \"3\",");
    }

    @Test
    void theGroupRunsGroupSizeTransactorsWithRoomForOneMore() {
        JsonNode t = TemplateFixtures.tree(TemplateFixtures.named("ha").generate());
        assertThat(t.at("/Parameters/GroupSize/Default").asText()).isEqualTo("2");
        assertThat(t.at("/Parameters/MaxGroupSize/Default").asText()).isEqualTo("3");
        JsonNode group = t.at("/Resources/LaunchGroup/Properties");
        assertThat(group.at("/MinSize/Ref").asText()).isEqualTo("GroupSize");
        assertThat(group.at("/DesiredCapacity/Ref").asText()).isEqualTo("GroupSize");
        assertThat(group.at("/MaxSize/Ref").asText()).isEqualTo("MaxGroupSize");
        assertThat(t.at("/Resources/LaunchGroup").has("UpdatePolicy")).isFalse();
    }

    @Test
    void theUserDataKeepsDatomicsFramingWithoutAShebang() {
        for (TemplateFixtures f : TemplateFixtures.all()) {
            List<String> lines = userData(f.generate());
            // Datomic's create-cf-template starts with the log redirection; a "#!" line would make cloud-init run it too
            assertThat(lines.get(0)).as(f.toString()).isEqualTo("exec > >(tee /var/log/user-data.log|logger -t user-data -s 2>/dev/console) 2>&1");
            assertThat(lines).as(f.toString()).noneMatch(l -> l.startsWith("#!"));
        }
    }

    @Test
    void propertiesKeepFileOrderAndHostComesFromTheInstanceMetadata() {
        List<String> lines = userData(TemplateFixtures.named("ha").generate());
        int start = lines.indexOf("cat >>aws.properties <<'DATOMIC_PROPERTIES'");
        int end = lines.indexOf("DATOMIC_PROPERTIES");
        assertThat(lines.subList(start + 1, end)).containsExactly(
                "protocol=ddb", "port=4334", "aws-dynamodb-table=billing-datomic",
                "aws-dynamodb-region=us-east-1", "aws-transactor-role=datomic-aws-transactor", "aws-peer-role=datomic-aws-peer",
                "memory-index-threshold=32m", "memory-index-max=512m", "object-cache-max=1g",
                "aws-s3-log-bucket-id=datomic-logs-6b1f0c52-3f7e-4d55-9e0c-2a8f6c1d7b44",
                "aws-cloudwatch-region=us-east-1", "aws-cloudwatch-dimension-value=billing", "heartbeat-interval-msec=10000");
        assertThat(lines).contains("echo \"host=$host\" >aws.properties").noneMatch(l -> l.equals("host=localhost"));
        assertThat(lines).contains("export XMX='${Xmx}'", "export JAVA_OPTS='${JavaOpts}'",
                "export DATOMIC_DEPLOY_BUCKET='${DatomicDeployBucket}'", "export DATOMIC_VERSION='${DatomicVersion}'");
        assertThat(lines.get(lines.size() - 2)).isEqualTo("./startup.sh");
    }

    @Test
    void datomicStyleQuotedJavaOptsLoseTheirOuterQuotes() {
        GeneratedTemplate t = TemplateFixtures.named("ha").generate();
        assertThat(t.parameters()).containsEntry("JavaOpts", "-XX:+UseG1GC -XX:MaxGCPauseMillis=50");
    }

    @Test
    void valuesWithShellCharactersAreNeverExpanded() {
        TemplateFixtures f = TemplateFixtures.named("minimal-ddb");
        PropertiesFile tx = f.tx();
        tx.set("data-dir", "/data/$HOME/`id`/$(touch x)\\d");
        List<String> lines = userData(new TemplateGenerator().generate(tx, f.cf(), f.options()));
        // a plain Fn::Join element (no Fn::Sub), inside the quoted heredoc, escaped for the properties format
        assertThat(lines).contains("data-dir=/data/$HOME/`id`/$(touch x)\\\\d");
        assertThat(lines).contains("cat >>aws.properties <<'DATOMIC_PROPERTIES'");
    }

    @Test
    void secretsNeverReachTheTemplate() {
        TemplateFixtures f = TemplateFixtures.named("secrets");
        GeneratedTemplate t = f.generate();
        assertThat(t.json()).doesNotContain("LEDGER-LICENSE").doesNotContain("DO-NOT-LEAK")
                .doesNotContain("${env:").doesNotContain("${file:");
        assertThat(t.noEchoParameters()).containsExactly("LicenseKey", "StorageDatomicPassword", "MemcachedPassword");
        assertThat(t.secretParameters()).containsEntry("LicenseKey", "license-key")
                .containsEntry("StorageDatomicPassword", "storage-datomic-password").containsEntry("MemcachedPassword", "memcached-password");
        JsonNode tree = TemplateFixtures.tree(t);
        for (String p : t.noEchoParameters()) {
            assertThat(tree.at("/Parameters/" + p + "/NoEcho").asBoolean()).isTrue();
            assertThat(tree.at("/Parameters/" + p).has("Default")).isFalse();
        }
        // a {{resolve:secretsmanager:...}} reference is resolved by CloudFormation: it stays as written
        assertThat(userData(t)).contains("storage-admin-password={{resolve:secretsmanager:ledger/datomic/storage:SecretString:admin}}",
                "license-key=${LicenseKey}");
        // a secret's ARN is read by the instance at boot, with its own role: no parameter, no value anywhere
        assertThat(userData(t)).noneMatch(l -> l.startsWith("sql-password")).contains(
                "secret_property 'sql-password' us-east-1 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ledger/datomic/sql-Xy12Ab'");
        assertThat(t.warnings()).anySatisfy(w -> assertThat(w).startsWith("transactor.properties:11: 'license-key' holds a secret in plain text"));
        assertThat(String.join("\n", t.warnings())).doesNotContain("DO-NOT-LEAK");
    }

    @Test
    void parameterValuesResolveSecretsInMemory(@TempDir Path dir) throws IOException {
        TemplateFixtures f = TemplateFixtures.named("secrets");
        GeneratedTemplate t = f.generate();
        Path storagePassword = dir.resolve("storage-password");
        Files.writeString(storagePassword, "st0rage\\pass\n");
        PropertiesFile tx = f.tx();
        tx.set("storage-datomic-password", "${file:" + storagePassword + "}");
        Redactor redactor = new Redactor();
        Secrets secrets = new Secrets(Map.of("DATOMIC_MEMCACHED_PASSWORD", "mc\npw")::get, redactor,
                new io.datomicgitops.config.SecretSources(java.util.Set.of(), java.util.List.of(dir)));

        Map<String, String> values = t.parameterValues(tx, f.cf(), secrets);

        assertThat(values.keySet()).containsExactly("InstanceType", "InstanceMonitoring", "GroupSize", "MaxGroupSize", "SecurityGroups",
                "InstanceProfile", "Xmx", "JavaOpts", "DatomicDeployBucket", "DatomicVersion",
                "LicenseKey", "StorageDatomicPassword", "MemcachedPassword");
        assertThat(values).containsEntry("LicenseKey", "Zx9Q-LEDGER-LICENSE-7f3a91c2e8b04d6aa5e1c0b9d2f47e68-DO-NOT-LEAK")
                .containsEntry("StorageDatomicPassword", "st0rage\\\\pass") // escaped for the properties file
                .containsEntry("MemcachedPassword", "mc\\npw")              // a newline cannot end the heredoc
                .containsEntry("InstanceProfile", "ledger-transactor")
                .containsEntry("GroupSize", "1").containsEntry("MaxGroupSize", "2");
        assertThat(redactor.redact("x mc\npw y")).doesNotContain("mc\npw");
    }

    @Test
    void parameterValuesRefuseFilesThatChangedSinceGeneration() {
        TemplateFixtures f = TemplateFixtures.named("minimal-ddb");
        GeneratedTemplate t = f.generate();
        PropertiesFile cf = f.cf();
        cf.set("aws-instance-type", "m4.xlarge");
        assertThatThrownBy(() -> t.parameterValues(f.tx(), cf, new Secrets(Map.of("DATOMIC_LICENSE_KEY", "k")::get, new Redactor())))
                .isInstanceOfSatisfying(ToolException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID_CONFIG))
                .hasMessageContaining("differ from those the template was generated from");
    }

    @Test
    void aMissingPlaceholderVariableNamesTheKeyAndLine() {
        TemplateFixtures f = TemplateFixtures.named("minimal-ddb");
        PropertiesFile written = f.tx();
        written.set("memcached-password", "${env:DATOMIC_MEMCACHED_PASSWORD}");
        PropertiesFile tx = PropertiesFile.parse(written.name(), written.text());
        GeneratedTemplate t = new TemplateGenerator().generate(tx, f.cf(), f.options());
        assertThatThrownBy(() -> t.parameterValues(tx, f.cf(), new Secrets(Map.<String, String>of()::get, new Redactor())))
                .hasMessageStartingWith("transactor.properties:44: 'memcached-password' refers to the environment variable DATOMIC_MEMCACHED_PASSWORD");
    }

    @Test
    void theLicenseKeyIsLeftOutFromTheReleaseThatDroppedIt() {
        TemplateFixtures f = TemplateFixtures.named("minimal-ddb");
        PropertiesFile tx = f.tx();
        tx.set("license-key", "${env:DATOMIC_LICENSE_KEY}");
        PropertiesFile cf = f.cf();
        assertThat(cf.get("datomic-version")).contains("1.0.7277");
        GeneratedTemplate free = new TemplateGenerator().generate(tx, cf, f.options());
        assertThat(free.noEchoParameters()).isEmpty();
        assertThat(free.json()).doesNotContain("license-key", "LicenseKey");
        assertThat(free.warnings()).anySatisfy(w -> assertThat(w).contains("license-key is left out of the template: Datomic 1.0.7277 "
                + "needs none (from 1.0.6726)"));

        cf.set("datomic-version", "1.0.6711");
        GeneratedTemplate paid = new TemplateGenerator().generate(tx, cf, f.options());
        assertThat(paid.noEchoParameters()).containsExactly("LicenseKey");
        assertThat(userData(paid)).contains("license-key=${LicenseKey}");
    }

    @Test
    void aSecretsArnIsFetchedAtBootAfterTheOtherProperties() {
        TemplateFixtures f = TemplateFixtures.named("minimal-ddb");
        PropertiesFile tx = f.tx();
        String arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/memcached-AbCdEf";
        tx.set("memcached-password", arn);
        GeneratedTemplate t = new TemplateGenerator().generate(tx, f.cf(), f.options());
        List<String> lines = userData(t);
        assertThat(t.noEchoParameters()).isEmpty();
        assertThat(t.warnings()).isEmpty();
        int end = lines.indexOf("DATOMIC_PROPERTIES");
        assertThat(lines.get(end + 1)).startsWith("secret_property() {");
        assertThat(lines.get(end + 2)).isEqualTo("secret_property 'memcached-password' eu-west-1 '" + arn + "'");
        assertThat(lines.subList(0, end)).noneMatch(l -> l.contains("memcached-password"));
    }

    @Test
    void ownImagesReplaceDatomicsPerRegionAndAllowArm64() {
        GeneratedTemplate t = TemplateFixtures.named("custom-ami").generate();
        JsonNode amis = TemplateFixtures.tree(t).at("/Mappings/AWSRegionArch2AMI");
        assertThat(amis.at("/us-east-1/64h").asText()).isEqualTo("ami-0a1b2c3d4e5f60718");
        assertThat(amis.at("/eu-west-1/64h").asText()).isEqualTo("ami-0f1e2d3c4b5a69788");
        assertThat(amis.at("/ap-southeast-5/64h").asText()).isEqualTo("ami-0123456789abcdef0");
        // the type is arm64 (Graviton): Datomic's x86_64 images are no fallback in the regions the operator gave none for
        assertThat(amis.has("us-west-2")).isFalse();
        assertThat(TemplateFixtures.tree(t).at("/Mappings/AWSInstanceType2Arch/m7g.large/Arch").asText()).isEqualTo("64h");
        assertThat(t.warnings()).isEmpty();
    }

    @Test
    void aTypeDatomicDoesNotListIsMappedWithAWarning() {
        GeneratedTemplate t = TemplateFixtures.named("ha").generate();
        JsonNode tree = TemplateFixtures.tree(t);
        assertThat(tree.at("/Mappings/AWSInstanceType2Arch/r5.large/Arch").asText()).isEqualTo("64h");
        assertThat(t.warnings()).singleElement().asString()
                .startsWith("cf.properties:7: instance type r5.large is not in Datomic's instance map");
        // a current type sees its NVMe instance store without a mapping; Datomic's types keep /dev/sdb
        assertThat(tree.at("/Resources/LaunchTemplate/Properties/LaunchTemplateData").has("BlockDeviceMappings")).isFalse();
        JsonNode minimal = TemplateFixtures.tree(TemplateFixtures.named("minimal-ddb").generate());
        assertThat(minimal.at("/Resources/LaunchTemplate/Properties/LaunchTemplateData/BlockDeviceMappings/0/VirtualName").asText())
                .isEqualTo("ephemeral0");
        assertThat(TemplateFixtures.named("minimal-ddb").generate().warnings()).isEmpty();
    }

    @Test
    void vpcPlacementUsesSubnetsGroupIdsAndTheKeyPair() {
        GeneratedTemplate t = TemplateFixtures.named("vpc-subnets").generate();
        JsonNode tree = TemplateFixtures.tree(t);
        JsonNode group = tree.at("/Resources/LaunchGroup/Properties");
        assertThat(group.at("/VPCZoneIdentifier/Ref").asText()).isEqualTo("Subnets");
        assertThat(group.has("AvailabilityZones")).isFalse();
        JsonNode data = tree.at("/Resources/LaunchTemplate/Properties/LaunchTemplateData");
        assertThat(data.at("/SecurityGroupIds/Ref").asText()).isEqualTo("SecurityGroups");
        assertThat(data.at("/KeyName/Ref").asText()).isEqualTo("KeyName");
        assertThat(t.parameters()).containsEntry("Subnets", "subnet-0aa11bb22cc33dd44,subnet-0ee55ff66aa77bb88")
                .containsEntry("KeyName", "datomic-ops").containsEntry("SecurityGroups", "sg-0a1b2c3d4e5f67890");
    }

    @Test
    void subnetsWithAGroupNameWarn() {
        TemplateFixtures f = TemplateFixtures.named("vpc-subnets");
        PropertiesFile cf = f.cf();
        cf.set("aws-security-group", "datomic");
        GeneratedTemplate t = new TemplateGenerator().generate(f.tx(), cf, f.options());
        assertThat(t.warnings()).anySatisfy(w -> assertThat(w).contains("give the security group by id"));
    }

    @Test
    void launchConfigurationModeDeclaresALaunchConfigurationOnly() {
        GeneratedTemplate generated = TemplateFixtures.named("launch-configuration").generate();
        assertThat(generated.launchResourceId()).isEqualTo("LaunchConfig");
        assertThat(TemplateFixtures.named("minimal-ddb").generate().launchResourceId()).isEqualTo("LaunchTemplate");
        JsonNode t = TemplateFixtures.tree(generated);
        assertThat(t.at("/Resources").size()).isEqualTo(2);
        assertThat(t.at("/Resources/LaunchConfig/Type").asText()).isEqualTo("AWS::AutoScaling::LaunchConfiguration");
        assertThat(t.at("/Resources/LaunchGroup/Properties/LaunchConfigurationName/Ref").asText()).isEqualTo("LaunchConfig");
        assertThat(t.at("/Resources/LaunchGroup/Properties").has("LaunchTemplate")).isFalse();
        JsonNode lt = TemplateFixtures.tree(TemplateFixtures.named("minimal-ddb").generate());
        assertThat(lt.at("/Resources").has("LaunchConfig")).isFalse();
        assertThat(lt.at("/Resources/LaunchTemplate/Type").asText()).isEqualTo("AWS::EC2::LaunchTemplate");
    }

    // ---- input errors ----------------------------------------------------------------------------------------

    @Test
    void everyMissingRequiredKeyIsListed() {
        PropertiesFile tx = PropertiesFile.parse("transactor.properties", "# empty\nhost=localhost\n");
        PropertiesFile cf = PropertiesFile.parse("cf.properties", "aws-region=us-east-1\njava-xmx=\n");
        assertThatThrownBy(() -> new TemplateGenerator().generate(tx, cf, TemplateOptions.defaults()))
                .isInstanceOfSatisfying(ToolException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID_CONFIG);
                    assertThat(e.where()).isEqualTo("cf.properties");
                    assertThat(e.what()).startsWith("required key 'aws-instance-type' is missing or blank");
                })
                .hasMessageContaining("cf.properties: required key 'aws-instance-monitoring'")
                .hasMessageContaining("cf.properties: required key 'aws-autoscaling-group-size'")
                .hasMessageContaining("cf.properties:2: required key 'java-xmx' is missing or blank (set java-xmx (e.g. 4g), or run ensure-cf")
                .hasMessageContaining("cf.properties: required key 'aws-security-group'")
                .hasMessageContaining("cf.properties: required key 'datomic-deploy-s3-bucket'")
                .hasMessageContaining("cf.properties: required key 'datomic-version'")
                .hasMessageContaining("transactor.properties: required key 'aws-transactor-role' is missing or blank (the instance profile")
                .hasMessageContaining("transactor.properties: required key 'protocol'");
    }

    @Test
    void invalidValuesNameTheirLine() {
        assertRefused("cf", "aws-instance-monitoring", "on",
                "cf.properties:14: 'aws-instance-monitoring' = 'on' is not valid: expected true or false");
        assertRefused("cf", "java-opts", "'-Dname='x' -Xss1m'",
                "cf.properties:28: 'java-opts' contains a single quote inside the options");
        assertRefused("cf", "datomic-deploy-s3-bucket", "<check s3 for appropriat bucket>",
                "cf.properties:49: 'datomic-deploy-s3-bucket' = '<check s3 for appropriat bucket>' is not an S3 bucket name");
        assertRefused("cf", "aws-instance-type", "m7g.large",
                "cf.properties:7: 'aws-instance-type' = 'm7g.large' is an arm64 (Graviton) type, and Datomic's AMIs are built for x86_64");
        assertRefused("cf", "aws-instance-type", "large",
                "cf.properties:7: 'aws-instance-type' = 'large' is not an EC2 instance type");
        assertRefused("cf", "aws-region", "ap-southeast-5",
                "cf.properties:10: Datomic publishes no AMI for region ap-southeast-5");
        assertRefused("cf", "datomic-version", "${env:DATOMIC_VERSION}",
                "cf.properties:45: 'datomic-version' uses a placeholder: cf.properties values are written into the template");
        assertRefused("cf", "aws-ami.mars", "ami-0123456789abcdef0",
                "cf.properties:50: 'aws-ami.mars' does not end with an AWS region");
        assertRefused("tx", "memcached-password", "{{resolve:ssm-secure:/datomic/memcached}}",
                "transactor.properties:44: 'memcached-password' uses a {{resolve:ssm-secure:...}} reference");
        assertRefused("tx", "memcached-password", "arn:aws:secretsmanager:us-east-1:123456789012:secret:orders/memcached",
                "transactor.properties:44: 'memcached-password' = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:orders/memcached' "
                        + "is not a Secrets Manager secret's ARN");
    }

    @Test
    void aGravitonStackNeverFallsBackToDatomicsX86ImagesInRegionsTheOperatorGaveNoImageFor() {
        TemplateFixtures f = TemplateFixtures.named("minimal-ddb");
        PropertiesFile cf = f.cf();
        cf.set("aws-instance-type", "m7g.large");
        cf.set("aws-ami", "ami-0123456789abcdef0");
        cf.set("aws-ami.eu-west-1", "ami-0fedcba9876543210");
        GeneratedTemplate t = new TemplateGenerator().generate(f.tx(), cf, f.options());
        var regions = TemplateFixtures.tree(t).at("/Mappings/AWSRegionArch2AMI");
        assertThat(regions.fieldNames()).toIterable().containsExactlyInAnyOrder(cf.get("aws-region").orElseThrow(), "eu-west-1");
        assertThat(regions.at("/eu-west-1/64h").asText()).isEqualTo("ami-0fedcba9876543210");
    }

    @Test
    void anOwnImageInTheStacksRegionLiftsTheRegionAndArchitectureLimits() {
        TemplateFixtures f = TemplateFixtures.named("minimal-ddb");
        PropertiesFile cf = f.cf();
        cf.set("aws-region", "ap-southeast-5");
        cf.set("aws-instance-type", "c8g.large");
        cf.set("aws-ami", "ami-0123456789abcdef0");
        GeneratedTemplate t = new TemplateGenerator().generate(f.tx(), cf, f.options());
        assertThat(TemplateFixtures.tree(t).at("/Mappings/AWSRegionArch2AMI/ap-southeast-5/64h").asText()).isEqualTo("ami-0123456789abcdef0");
    }

    private static void assertRefused(String file, String key, String value, String messageStart) {
        TemplateFixtures f = TemplateFixtures.named("minimal-ddb");
        PropertiesFile tx = f.tx();
        PropertiesFile cf = f.cf();
        (file.equals("tx") ? tx : cf).set(key, value);
        // read back, as the runner would, so a new key has its line number
        PropertiesFile txRead = PropertiesFile.parse(tx.name(), tx.text());
        PropertiesFile cfRead = PropertiesFile.parse(cf.name(), cf.text());
        assertThatThrownBy(() -> new TemplateGenerator().generate(txRead, cfRead, f.options()))
                .isInstanceOfSatisfying(ToolException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID_CONFIG))
                .hasMessageStartingWith(messageStart);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /** The UserData lines: plain strings as they are, Fn::Sub lines as their text. */
    static List<String> userData(GeneratedTemplate t) {
        JsonNode resources = TemplateFixtures.tree(t).at("/Resources");
        JsonNode userData = resources.has("LaunchTemplate")
                ? resources.at("/LaunchTemplate/Properties/LaunchTemplateData/UserData")
                : resources.at("/LaunchConfig/Properties/UserData");
        JsonNode join = userData.at("/Fn::Base64/Fn::Join");
        assertThat(join.get(0).asText()).isEqualTo("\n");
        return StreamSupport.stream(join.get(1).spliterator(), false)
                .map(n -> n.isTextual() ? n.asText() : n.get("Fn::Sub").asText()).toList();
    }

    private static List<String> changedLines(String before, String after) {
        List<String> a = before.lines().toList();
        List<String> b = after.lines().toList();
        assertThat(b).hasSameSizeAs(a);
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) if (!a.get(i).equals(b.get(i))) changed.add(b.get(i).trim());
        return changed;
    }
}
