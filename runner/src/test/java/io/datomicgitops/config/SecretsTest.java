package io.datomicgitops.config;

import io.datomicgitops.ToolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretsTest {
    private final Redactor redactor = new Redactor();

    @Test
    void placeholdersResolveInMemoryOnlyAndAreRedactedEverywhere(@TempDir Path dir) throws IOException {
        Path keyFile = dir.resolve("license");
        Files.writeString(keyFile, "FILE-LICENSE-0042\n");
        Secrets secrets = new Secrets(Map.of("LICENSE", "ENV-LICENSE-0042")::get, redactor);
        PropertiesFile file = PropertiesFile.parse("transactor.properties",
                "license-key=${env:LICENSE}\nsql-password=${file:" + keyFile + "}\n");

        assertThat(secrets.resolve(file, "license-key")).isEqualTo("ENV-LICENSE-0042");
        assertThat(secrets.resolve(file, "sql-password")).isEqualTo("FILE-LICENSE-0042");
        assertThat(file.text()).as("the file still holds the placeholders").contains("${env:LICENSE}").doesNotContain("ENV-LICENSE");
        assertThat(redactor.redact("key ENV-LICENSE-0042 and FILE-LICENSE-0042")).isEqualTo("key ******** and ********");
    }

    @Test
    void aMissingVariableNamesTheFileLineAndTheVariable() {
        Secrets secrets = new Secrets(Map.<String, String>of()::get, redactor);
        PropertiesFile file = PropertiesFile.parse("stacks/prod/transactor.properties", "protocol=ddb\nlicense-key=${env:DATOMIC_LICENSE}\n");
        assertThatThrownBy(() -> secrets.resolve(file, "license-key"))
                .isInstanceOf(ToolException.class)
                .hasMessage("stacks/prod/transactor.properties:2: 'license-key' refers to the environment variable DATOMIC_LICENSE, "
                        + "which is not set (set DATOMIC_LICENSE in the environment of the runner (e.g. a Jenkins credential binding))");
    }

    @Test
    void secretKeysAreRecognised() {
        assertThat(Secrets.isSecretKey("license-key")).isTrue();
        assertThat(Secrets.isSecretKey("memcached-password")).isTrue();
        assertThat(Secrets.isSecretKey("storage-admin-password")).isTrue();
        assertThat(Secrets.isSecretKey("aws-dynamodb-table")).isFalse();
        assertThat(Secrets.isSecretKey("aws-s3-log-bucket-id")).isFalse();
    }

    @Test
    void shortValuesAreNotRedactedSoOrdinaryWordsSurvive() {
        redactor.register("ab");
        assertThat(redactor.redact("ab cd")).isEqualTo("ab cd");
    }
}
