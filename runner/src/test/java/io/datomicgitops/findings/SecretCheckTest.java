package io.datomicgitops.findings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SecretCheckTest {

    @Test
    void aLicenseKeyInPlainTextIsAWarningThatNeverShowsIt() {
        StackFixture s = StackFixture.clean().tx("license-key", "license-key=" + StackFixture.LICENSE_VALUE);
        assertThat(s.lines()).containsExactly(
                "warning plain-text-secret: transactor.properties:4: 'license-key' holds a secret in plain text, and this file "
                        + "is committed (the template keeps it out, as a NoEcho parameter, but git keeps it in history): write "
                        + "license-key=<a Secrets Manager secret's ARN>, ${env:NAME} (in Jenkins, a credential binding) or "
                        + "${file:/path} instead, and rotate the secret");
    }

    @Test
    void storagePasswordsAreSecretsToo() {
        StackFixture s = StackFixture.clean().tx("protocol", "protocol=sql").tx("aws-dynamodb-region", null);
        s.add(s.tx, "sql-password=hunter2-plain").add(s.tx, "storage-admin-password={{resolve:secretsmanager:prod/datomic:SecretString:admin}}")
                .add(s.tx, "memcached-password=");
        assertThat(s.check()).extracting(Finding::code, Finding::where)
                .as("a Secrets Manager reference and a blank value are not plain text; both values reach the user data")
                .containsExactly(org.assertj.core.groups.Tuple.tuple("plain-text-secret", "transactor.properties:9"),
                        org.assertj.core.groups.Tuple.tuple("secret-in-user-data", "transactor.properties:9"),
                        org.assertj.core.groups.Tuple.tuple("secret-in-user-data", "transactor.properties:10"));
        assertThat(s.lines().toString()).doesNotContain("hunter2");
    }

    @Test
    void aSecretThatWouldReachTheUserDataInClearIsAWarningNamingTheFix() {
        StackFixture s = StackFixture.clean().cf("datomic-version", "datomic-version=1.0.6711");
        assertThat(s.lines()).containsExactly("warning secret-in-user-data: transactor.properties:4: 'license-key' would reach the "
                + "instance's user data in clear: CloudFormation writes its value into the launch template, which anyone allowed "
                + "ec2:DescribeLaunchTemplateVersions can read. Store it in Secrets Manager and write license-key="
                + "arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>: the instance reads it at boot with its "
                + "own role (docs/TEMPLATE.md)");

        s.tx("license-key", "license-key=arn:aws:secretsmanager:us-east-1:123456789012:secret:demo/license-AbCdEf");
        assertThat(s.check()).as("the instance reads it at boot: nothing in clear, and an ARN is not plain text").isEmpty();
    }

    @Test
    void aVariableSetButEmptyIsABrokenCredentialBinding() {
        StackFixture s = StackFixture.clean();
        s.env.put("DATOMIC_LICENSE_KEY", "");
        assertThat(s.lines()).containsExactly(
                "error empty-secret: transactor.properties:4: 'license-key' refers to the environment variable "
                        + "DATOMIC_LICENSE_KEY, which is set but empty: a broken credential binding? bind the credential that "
                        + "holds it to DATOMIC_LICENSE_KEY, and check that the credential itself is not empty");
        s.env.put("DATOMIC_LICENSE_KEY", "  \n");
        assertThat(s.check()).extracting(Finding::code).containsExactly("empty-secret");
    }

    @Test
    void anUnsetVariableIsAWarningHere() {
        StackFixture s = StackFixture.clean();
        s.env.clear();
        assertThat(s.lines()).containsExactly(
                "warning secret-unavailable: transactor.properties:4: 'license-key' refers to the environment variable "
                        + "DATOMIC_LICENSE_KEY, which is not set here: apply needs it set (in Jenkins, a credential binding)");
    }

    @Test
    void filePlaceholders(@TempDir Path dir) throws IOException {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        Path full = Files.writeString(dir.resolve("full"), StackFixture.LICENSE_VALUE + "\n");
        assertThat(StackFixture.clean().tx("license-key", "license-key=${file:" + empty + "}").lines()).containsExactly(
                "error empty-secret: transactor.properties:4: 'license-key' refers to the file " + empty
                        + ", which is empty: write the secret into it, or fix the path in ${file:...}");
        assertThat(StackFixture.clean().tx("license-key", "license-key=${file:" + full + "}").lines()).isEmpty();
        Path missing = dir.resolve("missing");
        assertThat(StackFixture.clean().tx("license-key", "license-key=${file:" + missing + "}").lines()).containsExactly(
                "warning secret-unavailable: transactor.properties:4: 'license-key' refers to the file " + missing
                        + ", which cannot be read here: apply needs it (create it or fix the path)");
    }

    @Test
    void noValueReachesAFinding(@TempDir Path dir) throws IOException {
        Path full = Files.writeString(dir.resolve("pw"), "file-secret-5d1e\n");
        StackFixture s = StackFixture.clean().tx("license-key", "license-key=" + StackFixture.LICENSE_VALUE);
        s.add(s.tx, "sql-password=${file:" + full + "}").add(s.tx, "memcached-password=${env:MEMCACHED_PW}");
        s.env.put("MEMCACHED_PW", "env-secret-77aa");
        String all = s.lines().toString();
        assertThat(all).doesNotContain(StackFixture.LICENSE_VALUE).doesNotContain("file-secret-5d1e").doesNotContain("env-secret-77aa");
    }
}
