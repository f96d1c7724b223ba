package io.datomicgitops.template;

import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.config.SecretReference;
import io.datomicgitops.config.Secrets;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * transactor.properties as the instance receives it: every key in file order (a one-key change is a one-line diff),
 * {@code host} and {@code alt-host} left to the instance metadata, blank values left out (Datomic reads them as
 * absent), {@code license-key} left out for a Datomic release that needs none, a Secrets Manager ARN fetched by the
 * instance at boot, and every other secret or placeholder value replaced by a NoEcho parameter, so no secret is ever in
 * the template.
 */
final class TransactorProperties {
    /** One line of the instance's properties file. */
    sealed interface Line permits Literal, FromParameter, FromSecretsManager {
        String key();
    }

    /** Written as is; {@code text} is the escaped {@code key=value}. */
    record Literal(String key, String text) implements Line {}

    /** {@code key=} followed by the value of a NoEcho parameter, filled in by CloudFormation at deploy time. */
    record FromParameter(String key, String parameter) implements Line {}

    /** {@code key=} followed by the secret the instance reads from Secrets Manager at boot, with its own role. */
    record FromSecretsManager(String key, SecretReference reference) implements Line {}

    static final String LICENSE_KEY = "license-key";

    static final Set<String> FROM_METADATA = Set.of("host", "alt-host");
    private static final Pattern SECRETS_MANAGER_REFERENCE = Pattern.compile("\\{\\{resolve:secretsmanager:[^{}]+}}");
    private static final Pattern DYNAMIC_REFERENCE = Pattern.compile("\\{\\{resolve:([a-z-]+):");

    private final List<Line> lines;
    private final Map<String, String> secretParameters;

    private TransactorProperties(List<Line> lines, Map<String, String> secretParameters) {
        this.lines = lines;
        this.secretParameters = secretParameters;
    }

    /**
     * @param reserved          parameter names the template already uses (a secret's parameter never takes one of them)
     * @param licenseKeyDropped the stack's Datomic release needs no license key: {@code license-key} is left out
     */
    static TransactorProperties read(PropertiesFile tx, Set<String> reserved, boolean licenseKeyDropped, InputProblems problems) {
        if (tx.get("protocol").isEmpty()) {
            problems.missing(tx, "protocol", "set protocol=ddb (or the storage the transactor uses), as in Datomic's sample");
        }
        List<Line> lines = new ArrayList<>();
        Map<String, String> secrets = new LinkedHashMap<>();
        for (String key : tx.keys()) {
            if (FROM_METADATA.contains(key)) continue;
            Optional<String> value = tx.get(key);
            if (value.isEmpty() || (licenseKeyDropped && key.equals(LICENSE_KEY))) continue;
            String v = value.get();
            Optional<SecretReference> reference = SecretReference.parse(v);
            if (reference.isPresent()) {
                lines.add(new FromSecretsManager(key, reference.get()));
                continue;
            }
            boolean secret = Secrets.isSecretKey(key);
            if (!secret && !Secrets.isPlaceholder(v)) {
                lines.add(new Literal(key, PropertiesText.line(key, v)));
                continue;
            }
            if (SECRETS_MANAGER_REFERENCE.matcher(v).matches()) {
                // CloudFormation resolves it at deploy time, into the user data; the reference itself is safe to commit.
                lines.add(new Literal(key, PropertiesText.line(key, "") + v));
                continue;
            }
            var dynamic = DYNAMIC_REFERENCE.matcher(v);
            if (dynamic.find()) {
                problems.error(tx, key, "'" + key + "' uses a {{resolve:" + dynamic.group(1) + ":...}} reference, which "
                                + "CloudFormation does not resolve in an instance's user data",
                        "store the secret in Secrets Manager and write " + key + "=<the secret's ARN>, which the instance "
                                + "fetches at boot, or use ${env:NAME} / ${file:/path}");
                continue;
            }
            if (secret && !Secrets.isPlaceholder(v)) {
                problems.warn(tx.where(key) + ": '" + key + "' holds a secret in plain text; it stays out of the template "
                        + "(NoEcho parameter), but the file itself is committed: write ${env:NAME} or ${file:/path} instead");
            }
            String parameter = parameterName(key, reserved, secrets.keySet());
            secrets.put(parameter, key);
            lines.add(new FromParameter(key, parameter));
        }
        return new TransactorProperties(List.copyOf(lines), Collections.unmodifiableMap(secrets));
    }

    List<Line> lines() {
        return lines;
    }

    /** NoEcho parameter name -> transactor.properties key, in file order. */
    Map<String, String> secretParameters() {
        return secretParameters;
    }

    /** license-key -> LicenseKey; a name the template already uses gets the prefix "Transactor". */
    static String parameterName(String key, Set<String> reserved, Set<String> taken) {
        StringBuilder sb = new StringBuilder();
        for (String part : key.split("[^A-Za-z0-9]+")) {
            if (part.isEmpty()) continue;
            sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        String name = sb.toString();
        if (name.isEmpty() || !Character.isLetter(name.charAt(0))) name = "Property" + name;
        if (reserved.contains(name) || taken.contains(name)) name = "Transactor" + name;
        String unique = name;
        for (int i = 2; reserved.contains(unique) || taken.contains(unique); i++) unique = name + i;
        return unique;
    }
}
