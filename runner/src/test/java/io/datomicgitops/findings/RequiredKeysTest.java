package io.datomicgitops.findings;

import io.datomicgitops.config.PropertiesFile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RequiredKeysTest {

    @Test
    void theCleanStackHasNoFinding() {
        assertThat(StackFixture.clean().lines()).isEmpty();
    }

    @Test
    void cfPropertiesMissingFiveKeysNamesEachAndTheFile() {
        StackFixture s = StackFixture.clean()
                .cf("aws-region", null).cf("aws-instance-monitoring", null).cf("aws-autoscaling-group-size", null)
                .cf("aws-security-group", null).cf("datomic-deploy-s3-bucket", null);
        assertThat(s.lines()).containsExactly(
                "error missing-required-key: cf.properties: required key 'aws-region' is missing or blank: "
                        + "set aws-region=<the stack's region, e.g. us-east-1>",
                "error missing-required-key: cf.properties: required key 'aws-instance-monitoring' is missing or blank: "
                        + "set aws-instance-monitoring=true or false",
                "error missing-required-key: cf.properties: required key 'aws-autoscaling-group-size' is missing or blank: "
                        + "set aws-autoscaling-group-size=1 (2 for HA: active and standby)",
                "error missing-required-key: cf.properties: required key 'aws-security-group' is missing or blank: "
                        + "set aws-security-group=<the transactor's security group: a name ensure-cf creates, or an sg- id>",
                "error missing-required-key: cf.properties: required key 'datomic-deploy-s3-bucket' is missing or blank: "
                        + "set datomic-deploy-s3-bucket=<Datomic's deploy bucket for your distribution>");
    }

    @Test
    void aBlankValueIsMissingAndNamesItsLine() {
        assertThat(StackFixture.clean().cf("aws-instance-type", "aws-instance-type=").lines()).containsExactly(
                "error missing-required-key: cf.properties:1: required key 'aws-instance-type' is missing or blank: "
                        + "set aws-instance-type=<EC2 instance type, e.g. m5.large>");
    }

    @Test
    void theTransactorNeedsProtocolHostPortAndForDynamoDbItsRegion() {
        StackFixture s = StackFixture.clean().tx("host", null).tx("port", null).tx("aws-dynamodb-region", null);
        assertThat(s.lines()).containsExactly(
                "error missing-required-key: transactor.properties: required key 'host' is missing or blank: set host=localhost, "
                        + "as in Datomic's sample (on AWS the start-up script writes the instance's own address in its place)",
                "error missing-required-key: transactor.properties: required key 'port' is missing or blank: "
                        + "set port=4334, as in Datomic's sample",
                "error missing-required-key: transactor.properties: required key 'aws-dynamodb-region' is missing or blank: "
                        + "set aws-dynamodb-region=<the table's region, e.g. us-east-1>");
        assertThat(StackFixture.clean().tx("protocol", "protocol=sql").tx("aws-dynamodb-region", null).lines())
                .as("other storages have no DynamoDB region").isEmpty();
    }

    @Test
    void theLicenseKeyIsRequiredOnlyBeforeDatomic1_0_6726() {
        assertThat(StackFixture.clean().tx("license-key", null).lines()).as("1.0.7277 needs none").isEmpty();
        assertThat(StackFixture.clean().tx("license-key", null).cf("datomic-version", "datomic-version=0.9.5951").lines())
                .containsExactly("error missing-required-key: transactor.properties: required key 'license-key' is missing "
                        + "or blank: Datomic 0.9.5951 needs a license key (releases since 1.0.6726 need none): set "
                        + "license-key=<the ARN of a Secrets Manager secret holding it>, which the instance reads at boot, or run "
                        + "Datomic 1.0.6726 or later");
        assertThat(RequiredKeys.older("1.0.6711", "1.0.6726")).isTrue();
        assertThat(RequiredKeys.older("1.0.6726", "1.0.6726")).isFalse();
        assertThat(RequiredKeys.older("1.0.7277-beta", "1.0.6726")).isFalse();
    }

    @Test
    void datomicVersionIsRequiredForTheNativeEngineOnly() {
        // no license key either: with no version to tell, the template would keep it (a secret-in-user-data warning)
        assertThat(StackFixture.clean().cf("datomic-version", null).tx("license-key", null).lines()).containsExactly(
                "error missing-required-key: cf.properties: required key 'datomic-version' is missing or blank: set "
                        + "datomic-version=<the Datomic version to run, e.g. 1.0.7277>: the native engine has no Datomic "
                        + "distribution to read it from");
        StackFixture datomicEngine = StackFixture.clean().cf("datomic-version", null).tx("license-key", null);
        datomicEngine.add(datomicEngine.deploy, "engine=datomic").add(datomicEngine.deploy, "datomic-home=/opt/datomic");
        assertThat(datomicEngine.lines()).as("bin/datomic fills it in from its distribution").isEmpty();
    }

    @Test
    void deployPropertiesNeedAStackName() {
        List<Finding> findings = DatomicChecks.check(Optional.empty(), Optional.empty(),
                Optional.of(PropertiesFile.parse("stacks/prod/deploy.properties", "aws-region=us-east-1\nengine=datomic\n")), Map.of());
        assertThat(findings).extracting(Finding::toString).containsExactly(
                "error missing-required-key: stacks/prod/deploy.properties: required key 'stack-name' is missing or blank: "
                        + "set stack-name=<CloudFormation stack name>",
                "error missing-required-key: stacks/prod/deploy.properties: required key 'datomic-home' is missing or blank: "
                        + "the datomic engine runs <datomic-home>/bin/datomic: set datomic-home");
    }
}
