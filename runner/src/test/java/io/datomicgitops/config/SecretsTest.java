package io.datomicgitops.config;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class SecretsTest {
    private final Redactor redactor = new Redactor();

    @Test
    void placeholdersResolveInMemoryOnlyAndAreRedactedEverywhere(@TempDir Path dir) throws IOException {
        Path keyFile = dir.resolve("license");
        Files.writeString(keyFile, "FILE-LICENSE-0042\n");
        Secrets secrets = new Secrets(Map.of("LICENSE", "ENV-LICENSE-0042")::get, redactor,
                new SecretSources(Set.of("LICENSE"), List.of(dir)));
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

    private static PropertiesFile tx(String line) {
        return PropertiesFile.parse("stacks/prod/transactor.properties", "protocol=ddb\n" + line + "\n");
    }

    private static void refused(Secrets secrets, PropertiesFile file, String fragment) {
        assertThatThrownBy(() -> secrets.resolve(file, file.keys().get(1)))
                .isInstanceOfSatisfying(ToolException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID_CONFIG))
                .hasMessageStartingWith("stacks/prod/transactor.properties:2: ")
                .hasMessageContaining(fragment);
    }

    /** Without --secret-env, DATOMIC_* variables only; never the runner's own credentials, even when named. */
    @Test
    void anEnvironmentVariableOutsideTheAllowListIsRefused() {
        Map<String, String> env = Map.of("AWS_SECRET_ACCESS_KEY", "aws-secret-0042", "HOME", "/root",
                "DATOMIC_GITOPS_GIT_TOKEN", "git-token-0042", "DATOMIC_LICENSE_KEY", "license-0042");
        Secrets defaults = new Secrets(env::get, redactor);
        refused(defaults, tx("license-key=${env:AWS_SECRET_ACCESS_KEY}"), "AWS_SECRET_ACCESS_KEY, which is not on the runner's secret allow-list");
        refused(defaults, tx("license-key=${env:DATOMIC_GITOPS_GIT_TOKEN}"), "never a placeholder's");
        refused(defaults, tx("license-key=${env:HOME}"), "--secret-env HOME");
        assertThat(defaults.resolve(tx("license-key=${env:DATOMIC_LICENSE_KEY}"), "license-key")).isEqualTo("license-0042");

        Secrets named = new Secrets(env::get, redactor, new SecretSources(Set.of("HOME", "AWS_SECRET_ACCESS_KEY"), List.of()));
        assertThat(named.resolve(tx("license-key=${env:HOME}"), "license-key")).isEqualTo("/root");
        refused(named, tx("license-key=${env:AWS_SECRET_ACCESS_KEY}"), "never a placeholder's");
        refused(named, tx("license-key=${env:DATOMIC_LICENSE_KEY}"), "--secret-env DATOMIC_LICENSE_KEY");
        assertThat(redactor.redact("aws-secret-0042 git-token-0042")).isEqualTo("aws-secret-0042 git-token-0042");
    }

    /** Files only under a --secret-dir, by their real path; regular files of a secret's size only, read without blocking. */
    @Test
    void aFileOutsideTheSecretDirectoriesOrNotASecretFileIsRefused(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("secrets"));
        Path key = Files.writeString(dir.resolve("license"), "file-license-0042\n");
        Path outside = Files.writeString(tmp.resolve("credentials"), "aws-secret-0042\n");
        Files.createSymbolicLink(dir.resolve("link"), outside);
        assertThat(new ProcessBuilder("mkfifo", dir.resolve("fifo").toString()).start().waitFor()).isZero();
        Files.write(dir.resolve("big"), new byte[SecretSources.MAX_FILE_BYTES + 1]);

        refused(new Secrets(Map.<String, String>of()::get, redactor), tx("license-key=${file:" + key + "}"), "--secret-dir DIR");
        Secrets secrets = new Secrets(Map.<String, String>of()::get, redactor, new SecretSources(Set.of(), List.of(dir)));
        assertThat(secrets.resolve(tx("license-key=${file:" + key + "}"), "license-key")).isEqualTo("file-license-0042");
        refused(secrets, tx("license-key=${file:" + outside + "}"), "which is not under a secret directory of the runner");
        refused(secrets, tx("license-key=${file:" + dir + "/../credentials}"), "which is not under a secret directory");
        refused(secrets, tx("license-key=${file:" + dir.resolve("link") + "}"), "which is not under a secret directory");
        refused(secrets, tx("license-key=${file:secrets/license}"), "which is not under a secret directory");
        refused(secrets, tx("license-key=${file:" + dir.resolve("big") + "}"), "more than a secret's 65536");
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                () -> refused(secrets, tx("license-key=${file:" + dir.resolve("fifo") + "}"), "which is not a regular file"));
        Secrets devices = new Secrets(Map.<String, String>of()::get, redactor, new SecretSources(Set.of(), List.of(Path.of("/dev"))));
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                () -> refused(devices, tx("license-key=${file:/dev/zero}"), "which is not a regular file"));
    }

    /** A plan checks the allow-list and resolves nothing: no secret needed, nothing registered, the value as written. */
    @Test
    void checkOnlyResolvesNothingButStillRefusesWhatIsNotAllowed() {
        Secrets plan = new Secrets(Map.of("DATOMIC_LICENSE_KEY", "license-0042")::get, redactor).checkOnly();
        assertThat(plan.resolve(tx("license-key=${env:DATOMIC_LICENSE_KEY}"), "license-key")).isEqualTo("${env:DATOMIC_LICENSE_KEY}");
        assertThat(plan.resolve(tx("license-key=${env:DATOMIC_UNSET}"), "license-key")).isEqualTo("${env:DATOMIC_UNSET}");
        assertThat(redactor.redact("license-0042 ${env:DATOMIC_LICENSE_KEY}")).isEqualTo("license-0042 ${env:DATOMIC_LICENSE_KEY}");
        refused(plan, tx("license-key=${env:AWS_SECRET_ACCESS_KEY}"), "not on the runner's secret allow-list");
        assertThatThrownBy(() -> plan.requireAllowed(tx("aws-dynamodb-table=${file:/proc/self/environ}")))
                .hasMessageStartingWith("stacks/prod/transactor.properties:2: 'aws-dynamodb-table' refers to the file /proc/self/environ");
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
