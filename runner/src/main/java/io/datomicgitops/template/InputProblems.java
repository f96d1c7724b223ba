package io.datomicgitops.template;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.config.PropertiesFile;

import java.util.ArrayList;
import java.util.List;

/** Collects every input error (file:line, what, what to do) so one run reports them all; warnings ride along. */
final class InputProblems {
    record Problem(String where, String what, String todo) {
        @Override
        public String toString() {
            return where + ": " + what + " (" + todo + ")";
        }
    }

    private final List<Problem> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    void error(PropertiesFile file, String key, String what, String todo) {
        errors.add(new Problem(file.declares(key) ? file.where(key) : file.name(), what, todo));
    }

    void missing(PropertiesFile file, String key, String todo) {
        error(file, key, "required key '" + key + "' is missing or blank", todo);
    }

    /** A problem found by config/Validator: errors block, warnings (unknown keys, duplicates) ride along. */
    void add(io.datomicgitops.config.Validator.Problem p) {
        if (p.severity() == io.datomicgitops.config.Validator.Severity.ERROR) {
            errors.add(new Problem(p.where(), p.message(), "fix the value and run again"));
        } else {
            warnings.add(p.toString());
        }
    }

    void warn(String line) {
        warnings.add(line);
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Throws one {@link ToolException} (exit 3) naming the first error and listing the others, if there is any. */
    void throwIfAny() {
        if (errors.isEmpty()) return;
        Problem first = errors.get(0);
        StringBuilder what = new StringBuilder(first.what());
        for (Problem p : errors.subList(1, errors.size())) what.append("\n  ").append(p);
        throw new ToolException(ExitCode.INVALID_CONFIG, what.toString(), first.where(), first.todo());
    }
}
