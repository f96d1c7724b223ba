package io.datomicgitops;

import java.util.ArrayList;
import java.util.List;

/**
 * The check a builder makes before it builds: every required field it was not given, named in one error. A result
 * built without its outcome would otherwise reach report.json (or deployment.json) with the key silently left out.
 */
public final class RequiredFields {
    private final String type;
    private final List<String> missing = new ArrayList<>();

    private RequiredFields(String type) {
        this.type = type;
    }

    public static RequiredFields of(String type) {
        return new RequiredFields(type);
    }

    public RequiredFields check(String field, Object value) {
        if (value == null) missing.add(field);
        return this;
    }

    /** Throws when a field was missing; a programming error, so an unchecked exception and no ExitCode. */
    public void orThrow() {
        if (!missing.isEmpty()) {
            throw new IllegalStateException(type + " built without " + String.join(", ", missing) + " (required)");
        }
    }
}
