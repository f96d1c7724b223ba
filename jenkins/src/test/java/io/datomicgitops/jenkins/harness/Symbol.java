package io.datomicgitops.jenkins.harness;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/** A describable written by its symbol, e.g. {@code string(credentialsId: 'x', variable: 'Y')}: a value, not a step. */
public record Symbol(String name, Map<String, Object> args) implements Serializable {
    /** The symbols that take one unnamed value: pipelineTriggers([...]), cron('H 6 * * *'). */
    private static final Map<String, String> POSITIONAL = Map.of("pipelineTriggers", "triggers", "cron", "spec");

    static Symbol of(String name, Object[] argv) {
        Map<String, Object> args = new LinkedHashMap<>();
        String positional = POSITIONAL.get(name);
        if (argv.length == 1 && argv[0] instanceof Map<?, ?> m) {
            m.forEach((k, v) -> args.put(String.valueOf(k), v));
        } else if (argv.length == 1 && positional != null) {
            args.put(positional, argv[0] instanceof CharSequence cs ? cs.toString() : argv[0]);
        } else if (argv.length > 0) {
            throw new IllegalArgumentException(name + " takes named arguments only");
        }
        StepSignatures.check(name, args);
        return new Symbol(name, args);
    }

    String string(String key) {
        Object v = args.get(key);
        return v == null ? null : v.toString();
    }
}
