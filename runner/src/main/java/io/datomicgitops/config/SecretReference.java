package io.datomicgitops.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A secret the instance fetches at boot: a transactor property whose value is a Secrets Manager secret's ARN
 * ({@code license-key=arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/datomic-license-AbCdEf}), as an ECS
 * task definition's {@code valueFrom} names one. The start-up script reads the secret's SecretString with the
 * instance's role, so the value is never in the template, the launch template or the user data; the ARN itself is not
 * a secret and is committed, printed and written into the user data as is.
 *
 * <p>The full ARN is required (with the six characters Secrets Manager appends to the name): the transactor role's
 * policy grants {@code secretsmanager:GetSecretValue} on exactly that resource, and a partial ARN would match no
 * secret in IAM. A JSON key ({@code ...:secret:name-AbCdEf:password::}, ECS's form) is refused: the script passes the
 * SecretString on as is, so store the value itself as the secret's text.
 *
 * @param arn    the secret's ARN, as written
 * @param region the secret's region (from the ARN): the start-up script asks that region's endpoint
 */
public record SecretReference(String arn, String region) {
    private static final Pattern ARN = Pattern.compile(
            "arn:(aws|aws-cn|aws-us-gov):secretsmanager:([a-z]{2}(?:-[a-z]+)+-\\d):(\\d{12}):secret:([A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6})");
    /** How the form is explained in an error: what to write, and where to copy it from. */
    public static final String EXPECTED = "a Secrets Manager secret's full ARN, arn:aws:secretsmanager:<region>:<account>:secret:"
            + "<name>-<6 characters> (aws secretsmanager describe-secret --secret-id <name> --query ARN prints it)";

    /** A value meant as a reference: it names Secrets Manager in an ARN (whether or not it is a valid one). */
    public static boolean isMeantAsOne(String value) {
        String v = value == null ? "" : value.trim();
        return v.startsWith("arn:") && v.contains(":secretsmanager:");
    }

    /** The reference, when the value is a valid one. */
    public static Optional<SecretReference> parse(String value) {
        if (!isMeantAsOne(value)) return Optional.empty();
        Matcher m = ARN.matcher(value.trim());
        return m.matches() ? Optional.of(new SecretReference(m.group(), m.group(2))) : Optional.empty();
    }

    /** What is wrong with a value meant as a reference, when something is (never a secret: an ARN is not one). */
    public static Optional<String> problem(String value) {
        if (!isMeantAsOne(value) || parse(value).isPresent()) return Optional.empty();
        String v = value.trim();
        Matcher m = ARN.matcher(v);
        if (m.lookingAt() && v.startsWith(":", m.end())) {
            return Optional.of("a JSON key or version after the secret's ARN is not supported (the instance passes the secret's "
                    + "text on as is): store the value itself as the secret's text, and give " + EXPECTED);
        }
        return Optional.of("not a Secrets Manager secret's ARN: expected " + EXPECTED);
    }
}
