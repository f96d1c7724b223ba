package io.datomicgitops.config;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;

import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secret properties: which keys hold secrets, and the placeholders {@code ${env:NAME}} and {@code ${file:/path}}
 * that keep them out of git. A placeholder must name a source on the operator's allow-list ({@link SecretSources});
 * it is resolved only in memory, when the value is needed, and every resolved value is registered with the
 * {@link Redactor} so no output can show it. A plan checks placeholders without resolving them ({@link #checkOnly()}):
 * a pull request's plan needs no secret.
 */
public final class Secrets {
    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(license-key|password|passphrase|secret|token|private-key|access-key|credentials).*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(env|file):([^}]+)}");
    public static final String MASK = "********";

    private final Function<String, String> environment;
    private final Redactor redactor;
    private final SecretSources sources;
    private final boolean resolving;

    /** Secrets from the default allow-list ({@link SecretSources#defaults()}). */
    public Secrets(Function<String, String> environment, Redactor redactor) {
        this(environment, redactor, SecretSources.defaults());
    }

    public Secrets(Function<String, String> environment, Redactor redactor, SecretSources sources) {
        this(environment, redactor, sources, true);
    }

    private Secrets(Function<String, String> environment, Redactor redactor, SecretSources sources, boolean resolving) {
        this.environment = environment;
        this.redactor = redactor;
        this.sources = sources;
        this.resolving = resolving;
    }

    /**
     * The same allow-list, checked, with nothing resolved: {@link #resolve} returns each value as written, its
     * placeholders in place (what a plan passes for a NoEcho parameter, whose value AWS never shows back anyway).
     */
    public Secrets checkOnly() {
        return new Secrets(environment, redactor, sources, false);
    }

    /** Secrets from the process environment, registered with the process-wide redactor. */
    public static Secrets system() {
        Map<String, String> env = System.getenv();
        return new Secrets(env::get, Redactor.global());
    }

    public static boolean isSecretKey(String key) {
        return SECRET_KEY.matcher(key).matches();
    }

    public static boolean isPlaceholder(String value) {
        return value != null && PLACEHOLDER.matcher(value).find();
    }

    /** The value to show in any output: secrets masked, placeholders and Secrets Manager ARNs shown as written. */
    public static String display(String key, String value) {
        if (value == null) return null;
        if (isSecretKey(key) && !isPlaceholder(value) && !value.isBlank() && !SecretReference.isMeantAsOne(value)) return MASK;
        return value;
    }

    /** Refuses, naming its file and line, the first placeholder of the file outside the allow-list. */
    public void requireAllowed(PropertiesFile file) {
        for (String key : file.keys()) {
            Matcher m = PLACEHOLDER.matcher(file.get(key).orElse(""));
            while (m.find()) sources.requireAllowed(file, key, m.group(1), m.group(2));
        }
    }

    /**
     * Resolves the placeholders in a value. The result stays in memory: callers must never write it back.
     * Fails with file:line when a placeholder is outside the allow-list, or its variable or file is missing.
     */
    public String resolve(PropertiesFile file, String key) {
        String value = file.get(key).orElse("");
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String kind = m.group(1);
            String ref = m.group(2);
            sources.requireAllowed(file, key, kind, ref);
            String resolved = !resolving ? m.group() : "env".equals(kind) ? fromEnv(file, key, ref) : sources.readFile(file, key, ref);
            m.appendReplacement(out, Matcher.quoteReplacement(resolved));
        }
        m.appendTail(out);
        String result = out.toString();
        if (resolving && (isSecretKey(key) || !result.equals(value))) redactor.register(result);
        return result;
    }

    private String fromEnv(PropertiesFile file, String key, String name) {
        String v = environment.apply(name);
        if (v == null) {
            throw new ToolException(ExitCode.INVALID_CONFIG,
                    "'" + key + "' refers to the environment variable " + name + ", which is not set",
                    file.where(key), "set " + name + " in the environment of the runner (e.g. a Jenkins credential binding)");
        }
        return v;
    }
}
