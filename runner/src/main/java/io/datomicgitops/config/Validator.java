package io.datomicgitops.config;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Checks a properties file against its {@link Schema}: errors name file:line, key, what is wrong and what is expected. */
public final class Validator {
    private Validator() {}

    public enum Severity { ERROR, WARNING }

    /** Codes of the problems, stable: a finding carries them (see docs/FINDINGS.md). */
    public static final String INVALID_VALUE = "invalid-value";
    public static final String UNKNOWN_KEY = "unknown-key";
    public static final String DUPLICATE_KEY = "duplicate-key";

    /** @param code {@link #INVALID_VALUE}, {@link #UNKNOWN_KEY} or {@link #DUPLICATE_KEY} */
    public record Problem(Severity severity, String where, String key, String message, String code) {
        @Override
        public String toString() {
            return where + ": " + (severity == Severity.WARNING ? "warning: " : "") + message;
        }
    }

    public static List<Problem> check(PropertiesFile file, Schema schema) {
        List<Problem> problems = new ArrayList<>();
        for (PropertiesFile.Definition d : file.definitions()) {
            String where = file.name() + ":" + d.line();
            var type = schema.typeOf(d.key());
            if (type.isEmpty()) {
                String hint = closest(d.key(), schema).map(k -> "; did you mean '" + k + "'?").orElse("");
                problems.add(new Problem(Severity.WARNING, where, d.key(),
                        "unknown key '" + d.key() + "' in " + schema.kind() + " (kept as is" + hint + ")", UNKNOWN_KEY));
                continue;
            }
            String value = d.value().trim();
            if (value.isEmpty() || Secrets.isPlaceholder(value)) continue;
            var badReference = SecretReference.problem(value);
            if (badReference.isPresent()) {
                problems.add(new Problem(Severity.ERROR, where, d.key(), "'" + d.key() + "' = '" + value + "' is "
                        + badReference.get(), INVALID_VALUE));
                continue;
            }
            type.get().check(value).ifPresent(expected -> problems.add(new Problem(Severity.ERROR, where, d.key(),
                    "'" + d.key() + "' = '" + Secrets.display(d.key(), value) + "' is not valid: expected " + expected, INVALID_VALUE)));
        }
        for (Map.Entry<String, List<Integer>> dup : file.duplicates().entrySet()) {
            List<Integer> lines = dup.getValue();
            problems.add(new Problem(Severity.WARNING, file.name() + ":" + lines.get(lines.size() - 1), dup.getKey(),
                    "'" + dup.getKey() + "' is defined " + lines.size() + " times (lines " + lines
                            + "); the last one wins: remove the others", DUPLICATE_KEY));
        }
        return problems;
    }

    /** Throws one {@link ToolException} listing every error (non-zero exit); returns the warnings. */
    public static List<Problem> requireValid(PropertiesFile file, Schema schema) {
        List<Problem> problems = check(file, schema);
        List<Problem> errors = problems.stream().filter(p -> p.severity() == Severity.ERROR).toList();
        if (!errors.isEmpty()) throw invalid(errors);
        return problems;
    }

    public static ToolException invalid(List<Problem> errors) {
        Problem first = errors.get(0);
        StringBuilder what = new StringBuilder(first.message());
        for (Problem p : errors.subList(1, errors.size())) what.append("\n  ").append(p);
        return new ToolException(ExitCode.INVALID_CONFIG, what.toString(), first.where(), "fix the value and run again");
    }

    /** A required key that is absent or blank. */
    public static ToolException missing(PropertiesFile file, String key, String todo) {
        return new ToolException(ExitCode.INVALID_CONFIG, "required key '" + key + "' is missing or blank",
                file.declares(key) ? file.where(key) : file.name(), todo);
    }

    private static java.util.Optional<String> closest(String key, Schema schema) {
        return closest(key, schema.knownKeys(), 2);
    }

    /** The known word nearest to a misspelt one (edit distance at most {@code maxDistance}), for "did you mean". */
    public static java.util.Optional<String> closest(String word, Iterable<String> known, int maxDistance) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(word, k);
            if (d < bestDistance) { bestDistance = d; best = k; }
        }
        return bestDistance <= maxDistance ? java.util.Optional.ofNullable(best) : java.util.Optional.empty();
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }
}
