package io.datomicgitops.config;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secret properties: which keys hold secrets, and the placeholders {@code ${env:NAME}} and {@code ${file:/path}}
 * that keep them out of git. A placeholder is resolved only in memory, when the value is needed, and every
 * resolved value is registered with the {@link Redactor} so no output can show it.
 */
public final class Secrets {
    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(license-key|password|passphrase|secret|token|private-key|access-key|credentials).*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(env|file):([^}]+)}");
    public static final String MASK = "********";

    private final Function<String, String> environment;
    private final Redactor redactor;

    public Secrets(Function<String, String> environment, Redactor redactor) {
        this.environment = environment;
        this.redactor = redactor;
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

    /** The value to show in any output: secrets masked, placeholders shown as written. */
    public static String display(String key, String value) {
        if (value == null) return null;
        if (isSecretKey(key) && !isPlaceholder(value) && !value.isBlank()) return MASK;
        return value;
    }

    /**
     * Resolves the placeholders in a value. The result stays in memory: callers must never write it back.
     * Fails with file:line when a variable or file is missing.
     */
    public String resolve(PropertiesFile file, String key) {
        String value = file.get(key).orElse("");
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String kind = m.group(1);
            String ref = m.group(2);
            String resolved = "env".equals(kind) ? fromEnv(file, key, ref) : fromFile(file, key, ref);
            m.appendReplacement(out, Matcher.quoteReplacement(resolved));
        }
        m.appendTail(out);
        String result = out.toString();
        if (isSecretKey(key) || !result.equals(value)) redactor.register(result);
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

    private String fromFile(PropertiesFile file, String key, String path) {
        try {
            return Files.readString(Path.of(path), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new ToolException(ExitCode.INVALID_CONFIG,
                    "'" + key + "' refers to the file " + path + ", which cannot be read",
                    file.where(key), "create the file or fix the path in ${file:...}");
        }
    }
}
