package io.datomicgitops.findings;

import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.config.SecretReference;
import io.datomicgitops.config.SecretSources;
import io.datomicgitops.config.Secrets;
import io.datomicgitops.release.ReleaseRules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.datomicgitops.findings.FindingCodes.EMPTY_SECRET;
import static io.datomicgitops.findings.FindingCodes.PLAIN_TEXT_SECRET;
import static io.datomicgitops.findings.FindingCodes.SECRET_IN_USER_DATA;
import static io.datomicgitops.findings.FindingCodes.SECRET_UNAVAILABLE;

/**
 * Secrets in the files: a secret key ({@link Secrets#isSecretKey}: license-key, any password, secret, token, ...)
 * written in plain text in a committed file, and each {@code ${env:NAME}} / {@code ${file:/path}} placeholder of
 * transactor.properties resolved as {@link Secrets} resolves it, to tell an empty value (a broken credential binding)
 * from a missing one; and every secret of transactor.properties that would reach the instance's user data in clear
 * (anything but a Secrets Manager ARN the instance reads at boot). A value is never put in a message, and nothing
 * resolved is kept.
 */
final class SecretCheck {
    private SecretCheck() {}

    /** config/Secrets' placeholder syntax. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(env|file):([^}]+)}");
    /** Resolved by CloudFormation at deploy time: safe to commit (see template/TransactorProperties). */
    private static final Pattern SECRETS_MANAGER_REFERENCE = Pattern.compile("\\{\\{resolve:secretsmanager:[^{}]+}}");

    static void check(StackFiles files, List<Finding> out) {
        files.tx().ifPresent(tx -> {
            plainText(tx, out);
            placeholders(tx, files, out);
            inUserData(tx, files, out);
        });
        files.cf().ifPresent(cf -> plainText(cf, out));
    }

    private static void plainText(PropertiesFile file, List<Finding> out) {
        for (PropertiesFile.Definition d : file.definitions()) {
            String v = d.value().trim();
            if (!Secrets.isSecretKey(d.key()) || v.isEmpty() || Secrets.isPlaceholder(v)
                    || SECRETS_MANAGER_REFERENCE.matcher(v).matches() || SecretReference.isMeantAsOne(v)) {
                continue;
            }
            out.add(Finding.warning(PLAIN_TEXT_SECRET, "'" + d.key() + "' holds a secret in plain text, and this file is "
                    + "committed (the template keeps it out, as a NoEcho parameter, but git keeps it in history): write "
                    + d.key() + "=<a Secrets Manager secret's ARN>, ${env:NAME} (in Jenkins, a credential binding) or "
                    + "${file:/path} instead, and rotate the secret",
                    file.name() + ":" + d.line()));
        }
    }

    /**
     * A NoEcho parameter, or a {{resolve:secretsmanager:...}} reference, is filled in by CloudFormation: the value
     * ends up in the launch template's user data, which EC2 shows to whoever may describe it. A license key the
     * template leaves out (a release that needs none) goes nowhere.
     */
    private static void inUserData(PropertiesFile tx, StackFiles files, List<Finding> out) {
        boolean licenseKeyDropped = ReleaseRules.bundled().licenseKeyDropped(files.cf().flatMap(cf -> cf.get("datomic-version")).orElse(null));
        for (String key : tx.keys()) {
            String v = tx.get(key).orElse("");
            if (v.isEmpty() || !(Secrets.isSecretKey(key) || Secrets.isPlaceholder(v)) || SecretReference.isMeantAsOne(v)) continue;
            if (licenseKeyDropped && key.equals("license-key")) continue;
            out.add(Finding.warning(SECRET_IN_USER_DATA, "'" + key + "' would reach the instance's user data in clear: "
                    + "CloudFormation writes its value into the launch template, which anyone allowed "
                    + "ec2:DescribeLaunchTemplateVersions can read. Store it in Secrets Manager and write " + key
                    + "=arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>: the instance reads it at boot "
                    + "with its own role (docs/TEMPLATE.md)", tx.where(key)));
        }
    }

    private static void placeholders(PropertiesFile tx, StackFiles files, List<Finding> out) {
        for (String key : tx.keys()) {
            String value = tx.get(key).orElse("");
            Matcher m = PLACEHOLDER.matcher(value);
            while (m.find()) {
                String kind = m.group(1);
                String ref = m.group(2);
                String where = tx.where(key);
                if (kind.equals("env")) {
                    String v = files.env().get(ref);
                    if (v == null) {
                        out.add(Finding.warning(SECRET_UNAVAILABLE, "'" + key + "' refers to the environment variable " + ref
                                + ", which is not set here: apply needs it set (in Jenkins, a credential binding)", where));
                    } else if (v.isBlank()) {
                        out.add(Finding.error(EMPTY_SECRET, "'" + key + "' refers to the environment variable " + ref
                                + ", which is set but empty: a broken credential binding? bind the credential that holds it "
                                + "to " + ref + ", and check that the credential itself is not empty", where));
                    }
                } else {
                    try {
                        Path file = Path.of(ref);
                        // only a regular file of a secret's size is read: a FIFO would block, a device fill the memory
                        if (!Files.isRegularFile(file) || Files.size(file) > SecretSources.MAX_FILE_BYTES) throw new IOException("not a secret file");
                        if (Files.readString(file, StandardCharsets.UTF_8).isBlank()) {
                            out.add(Finding.error(EMPTY_SECRET, "'" + key + "' refers to the file " + ref
                                    + ", which is empty: write the secret into it, or fix the path in ${file:...}", where));
                        }
                    } catch (IOException | RuntimeException e) {
                        out.add(Finding.warning(SECRET_UNAVAILABLE, "'" + key + "' refers to the file " + ref
                                + ", which cannot be read here: apply needs it (create it or fix the path)", where));
                    }
                }
            }
        }
    }
}
