package io.datomicgitops.ensure;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One planned step: the change the plan reports, the calls that make it (run only by apply), and the keys to set in
 * the file once those calls succeeded.
 */
final class Step {
    /** Makes the planned calls. */
    @FunctionalInterface
    interface Action {
        void run();
    }

    final ResourceChange change;
    final Action action;
    final Map<String, String> keys;
    /** The keys are written (and persisted) before the calls run, not after. */
    boolean keysFirst;

    private Step(ResourceChange change, Action action, Map<String, String> keys) {
        this.change = change;
        this.action = action;
        this.keys = keys;
    }

    static Step of(ResourceChange change, Action action) {
        return new Step(change, action, new LinkedHashMap<>());
    }

    /** A step that only reports (nothing to call). */
    static Step report(ResourceChange change) {
        return new Step(change, null, new LinkedHashMap<>());
    }

    /**
     * Writes a name the file did not give (recovered, adopted, default or generated) once the step's calls
     * succeeded. A name from the file is not rewritten: its text stays byte for byte as the operator wrote it.
     */
    Step writes(Name name) {
        if (name.source() != Name.Source.FILE) keys.put(name.key(), name.value());
        return this;
    }

    /**
     * Writes a generated name before the step's calls run: for a resource that cannot be created with its tags in one
     * call, the name in git is what ties it to this system if the run dies between its creation and its tagging.
     */
    Step writesFirst(Name name) {
        keysFirst = true;
        return writes(name);
    }

    /** Sets the key to the value once the step's calls succeeded (a no-op when the file already says so). */
    Step writes(String key, String value) {
        keys.put(key, value);
        return this;
    }
}
