package io.datomicgitops.config;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Malformed inputs, each with the exact error an operator sees: file:line, the key, what is wrong, what is expected. */
class ValidatorTest {

    static Stream<Arguments> malformed() {
        return Stream.of(
                bad(Schema.TRANSACTOR, "protocol=ddbx", "transactor.properties:2: 'protocol' = 'ddbx' is not valid: expected one of ddb, ddb-local, dev, free, sql, cass, mem"),
                bad(Schema.TRANSACTOR, "port=abc", "transactor.properties:2: 'port' = 'abc' is not valid: expected a TCP port from 1 to 65535"),
                bad(Schema.TRANSACTOR, "port=70000", "transactor.properties:2: 'port' = '70000' is not valid: expected a TCP port from 1 to 65535"),
                bad(Schema.TRANSACTOR, "aws-dynamodb-region=us-east", "transactor.properties:2: 'aws-dynamodb-region' = 'us-east' is not valid: expected an AWS region such as us-east-1"),
                bad(Schema.TRANSACTOR, "aws-cloudwatch-region=Mars-1", "transactor.properties:2: 'aws-cloudwatch-region' = 'Mars-1' is not valid: expected an AWS region such as us-east-1"),
                bad(Schema.TRANSACTOR, "memory-index-max=lots", "transactor.properties:2: 'memory-index-max' = 'lots' is not valid: expected a size such as 32m, 512m or 1g"),
                bad(Schema.TRANSACTOR, "object-cache-max=1.5g", "transactor.properties:2: 'object-cache-max' = '1.5g' is not valid: expected a size such as 32m, 512m or 1g"),
                bad(Schema.TRANSACTOR, "encrypt-channel=yes", "transactor.properties:2: 'encrypt-channel' = 'yes' is not valid: expected true or false"),
                bad(Schema.TRANSACTOR, "heartbeat-interval-msec=-1", "transactor.properties:2: 'heartbeat-interval-msec' = '-1' is not valid: expected a whole number of at least 1, e.g. 1 or 2"),
                bad(Schema.TRANSACTOR, "write-concurrency=0", "transactor.properties:2: 'write-concurrency' = '0' is not valid: expected a whole number of at least 1, e.g. 1 or 2"),
                bad(Schema.TRANSACTOR, "ping-port=0", "transactor.properties:2: 'ping-port' = '0' is not valid: expected a TCP port from 1 to 65535"),
                bad(Schema.CF, "aws-autoscaling-group-size=0", "cf.properties:2: 'aws-autoscaling-group-size' = '0' is not valid: expected a whole number of at least 1, e.g. 1 or 2"),
                bad(Schema.CF, "aws-autoscaling-group-size=two", "cf.properties:2: 'aws-autoscaling-group-size' = 'two' is not valid: expected a whole number of at least 1, e.g. 1 or 2"),
                bad(Schema.CF, "aws-instance-monitoring=on", "cf.properties:2: 'aws-instance-monitoring' = 'on' is not valid: expected true or false"),
                bad(Schema.CF, "java-xmx=4gb", "cf.properties:2: 'java-xmx' = '4gb' is not valid: expected a heap size such as 2625m or 4g (digits then m or g)"),
                bad(Schema.CF, "java-xmx=4096", "cf.properties:2: 'java-xmx' = '4096' is not valid: expected a heap size such as 2625m or 4g (digits then m or g)"),
                bad(Schema.CF, "aws-ingress-cidrs=10.0.0.0/33", "cf.properties:2: 'aws-ingress-cidrs' = '10.0.0.0/33' is not valid: expected comma-separated IPv4 CIDRs such as 10.0.0.0/16,192.168.1.0/24"),
                bad(Schema.CF, "aws-ingress-cidrs=10.0.0.256/16", "cf.properties:2: 'aws-ingress-cidrs' = '10.0.0.256/16' is not valid: expected comma-separated IPv4 CIDRs such as 10.0.0.0/16,192.168.1.0/24"),
                bad(Schema.CF, "aws-ingress-cidrs=10.0.0.0/16,10.1.0.0", "cf.properties:2: 'aws-ingress-cidrs' = '10.0.0.0/16,10.1.0.0' is not valid: expected comma-separated IPv4 CIDRs such as 10.0.0.0/16,192.168.1.0/24"),
                bad(Schema.CF, "aws-region=eu_west_1", "cf.properties:2: 'aws-region' = 'eu_west_1' is not valid: expected an AWS region such as us-east-1"),
                bad(Schema.CF, "datomic-version=latest", "cf.properties:2: 'datomic-version' = 'latest' is not valid: expected a Datomic version such as 1.0.7277"),
                bad(Schema.CF, "aws-ami=ami-XYZ", "cf.properties:2: 'aws-ami' = 'ami-XYZ' is not valid: expected an AMI id such as ami-0123456789abcdef0"),
                bad(Schema.CF, "aws-ami.eu-west-1=image-1", "cf.properties:2: 'aws-ami.eu-west-1' = 'image-1' is not valid: expected an AMI id such as ami-0123456789abcdef0"),
                bad(Schema.CF, "aws-subnets=subnet-12", "cf.properties:2: 'aws-subnets' = 'subnet-12' is not valid: expected comma-separated subnet ids such as subnet-0123abcd,subnet-4567ef01"),
                bad(Schema.DEPLOY, "replace-strategy=rolling", "deploy.properties:2: 'replace-strategy' = 'rolling' is not valid: expected one of surge, terminate, instance-refresh"),
                bad(Schema.DEPLOY, "engine=docker", "deploy.properties:2: 'engine' = 'docker' is not valid: expected one of native, datomic"),
                bad(Schema.DEPLOY, "template.launch=lc", "deploy.properties:2: 'template.launch' = 'lc' is not valid: expected one of template, configuration"),
                bad(Schema.DEPLOY, "stack-timeout=ten minutes", "deploy.properties:2: 'stack-timeout' = 'ten minutes' is not valid: expected a duration such as 90s, 30m or 1h"),
                bad(Schema.DEPLOY, "lock-lease=5x", "deploy.properties:2: 'lock-lease' = '5x' is not valid: expected a duration of at least 1m, such as 10m (the lock is renewed every third of it)"),
                bad(Schema.DEPLOY, "lock-lease=0s", "deploy.properties:2: 'lock-lease' = '0s' is not valid: expected a duration of at least 1m, such as 10m (the lock is renewed every third of it)"),
                bad(Schema.DEPLOY, "lock-lease=59s", "deploy.properties:2: 'lock-lease' = '59s' is not valid: expected a duration of at least 1m, such as 10m (the lock is renewed every third of it)"),
                bad(Schema.DEPLOY, "termination-protection=maybe", "deploy.properties:2: 'termination-protection' = 'maybe' is not valid: expected true or false"));
    }

    private static Arguments bad(Schema schema, String line, String message) {
        return Arguments.of(schema, line, message);
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void eachMalformedValueGivesItsError(Schema schema, String line, String expected) {
        PropertiesFile file = PropertiesFile.parse(schema.kind(), "# a comment\n" + line + "\n");
        assertThatThrownBy(() -> Validator.requireValid(file, schema))
                .isInstanceOfSatisfying(ToolException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID_CONFIG);
                    assertThat(e.getMessage()).isEqualTo(expected + " (fix the value and run again)");
                });
    }

    @Test
    void everyErrorIsListedNotJustTheFirst() {
        PropertiesFile file = PropertiesFile.parse("cf.properties", "aws-instance-monitoring=on\njava-xmx=4096\n");
        assertThatThrownBy(() -> Validator.requireValid(file, Schema.CF))
                .hasMessageContaining("cf.properties:1: 'aws-instance-monitoring'")
                .hasMessageContaining("cf.properties:2: 'java-xmx'");
    }

    @Test
    void aMalformedUnicodeEscapeNamesTheLine() {
        assertThatThrownBy(() -> PropertiesFile.parse("transactor.properties", "protocol=ddb\nhost=caf\\u00zz\n"))
                .isInstanceOf(ToolException.class)
                .hasMessageStartingWith("transactor.properties:2: malformed \\uXXXX escape");
    }

    @Test
    void unknownKeysAreWarnedWithASuggestionNotRejected() {
        PropertiesFile file = PropertiesFile.parse("transactor.properties", "protocol=ddb\naws-dynamodb-tabel=x\nmy-own-key=1\n");
        List<Validator.Problem> problems = Validator.requireValid(file, Schema.TRANSACTOR);
        assertThat(problems).extracting(Object::toString).containsExactly(
                "transactor.properties:2: warning: unknown key 'aws-dynamodb-tabel' in transactor.properties (kept as is; did you mean 'aws-dynamodb-table'?)",
                "transactor.properties:3: warning: unknown key 'my-own-key' in transactor.properties (kept as is)");
    }

    @Test
    void duplicatesAreWarnedWithTheirLines() {
        PropertiesFile file = PropertiesFile.parse("cf.properties", "aws-region=us-east-1\nx=1\naws-region=eu-west-1\n");
        assertThat(Validator.check(file, Schema.CF)).extracting(Object::toString)
                .contains("cf.properties:3: warning: 'aws-region' is defined 2 times (lines [1, 3]); the last one wins: remove the others");
    }

    @Test
    void aSecretIsMaskedEvenInAnError() {
        PropertiesFile file = PropertiesFile.parse("transactor.properties", "sql-password=hunter2-secret\nsql-password=x\n");
        assertThat(Validator.check(file, Schema.TRANSACTOR).toString()).doesNotContain("hunter2");
        assertThat(Secrets.display("sql-password", "hunter2-secret")).isEqualTo(Secrets.MASK);
        assertThat(Secrets.display("license-key", "${env:LICENSE}")).isEqualTo("${env:LICENSE}");
    }

    @Test
    void blankValuesAndPlaceholdersAreNotTypeChecked() {
        PropertiesFile file = PropertiesFile.parse("cf.properties", "java-xmx=\naws-autoscaling-group-size=${env:GROUP_SIZE}\n");
        assertThat(Validator.requireValid(file, Schema.CF)).isEmpty();
    }

    @Test
    void deploySettingsNeedAStackNameAndGiveDefaults() {
        assertThatThrownBy(() -> DeploySettings.from(PropertiesFile.parse("stacks/prod/deploy.properties", "aws-region=us-east-1\n")))
                .hasMessage("stacks/prod/deploy.properties: required key 'stack-name' is missing or blank "
                        + "(set stack-name=<CloudFormation stack name> in stacks/prod/deploy.properties)");
        assertThatThrownBy(() -> DeploySettings.from(PropertiesFile.parse("d", "stack-name=s\nengine=datomic\n")))
                .hasMessageContaining("required key 'datomic-home' is missing");
        DeploySettings s = DeploySettings.from(PropertiesFile.parse("d", "stack-name=datomic-prod\nstack-timeout=45m\n"));
        assertThat(s.replaceStrategy()).isEqualTo("surge");
        assertThat(s.engine()).isEqualTo("native");
        assertThat(s.launch()).isEqualTo("template");
        assertThat(s.stackTimeout()).hasMinutes(45);
    }
}
