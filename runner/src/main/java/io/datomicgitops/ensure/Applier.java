package io.datomicgitops.ensure;

import io.datomicgitops.config.Secrets;
import io.datomicgitops.report.Log;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs a plan's steps in order: each step's calls, then its keys into the file, then the listener, before the next
 * step creates anything (write-ahead). Makes exactly the calls the plan listed.
 */
final class Applier {
    private Applier() {}

    /** Returns the keys written, with display values. */
    static Map<String, String> apply(Plan plan, KeyListener listener, Log log) {
        Map<String, String> written = new LinkedHashMap<>();
        for (Step step : plan.steps) {
            if (step.keysFirst) writeKeys(plan, step, listener, log, written);
            if (step.action != null) {
                log.progress(verb(step.change.action()) + " " + step.change.kind().label() + " " + step.change.name());
                step.action.run();
            }
            if (!step.keysFirst) writeKeys(plan, step, listener, log, written);
        }
        return written;
    }

    private static void writeKeys(Plan plan, Step step, KeyListener listener, Log log, Map<String, String> written) {
        Map<String, String> set = new LinkedHashMap<>();
        step.keys.forEach((k, v) -> {
            if (plan.file.set(k, v)) set.put(k, v);
        });
        if (set.isEmpty()) return;
        listener.written(plan.file, set);
        set.forEach((k, v) -> {
            written.put(k, Secrets.display(k, v));
            log.progress("wrote " + k + "=" + Secrets.display(k, v) + " into " + plan.file.name());
        });
    }

    private static String verb(ResourceChange.Action a) {
        return switch (a) {
            case CREATE -> "creating";
            case UPDATE -> "updating";
            default -> "ensuring";
        };
    }
}
