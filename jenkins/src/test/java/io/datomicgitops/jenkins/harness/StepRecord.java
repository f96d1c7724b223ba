package io.datomicgitops.jenkins.harness;

import java.util.List;
import java.util.Map;

/**
 * A step as the build ran it: its name, its named arguments (or the single positional one under "value"), the
 * stages it ran in, and the kinds of the body steps around it (outermost first).
 */
public record StepRecord(String name, Map<String, Object> args, List<String> stages, List<String> context) {
    public Object arg(String key) {
        return args.get(key);
    }

    public boolean inside(String kind) {
        return context.contains(kind);
    }
}
