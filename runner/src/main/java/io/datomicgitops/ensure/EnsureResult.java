package io.datomicgitops.ensure;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an ensure phase did (apply) or would do (plan). Serialises as is into the JSON report.
 *
 * @param phase        ensure-transactor or ensure-cf
 * @param file         the properties file's name
 * @param engine       native or datomic
 * @param plan         true when nothing was changed
 * @param resources    every resource the phase looked at, in the order it handles them
 * @param keysWritten  keys set in the file (plan: keys that would be set), with their values; secrets masked
 * @param warnings     things the operator should know that did not stop the phase
 * @param engineOutput the datomic engine's captured output (empty for the native engine)
 */
@JsonPropertyOrder({"phase", "file", "engine", "plan", "changed", "summary", "resources", "keysWritten", "warnings", "engineOutput"})
public record EnsureResult(String phase, String file, String engine, boolean plan, List<ResourceChange> resources,
                           Map<String, String> keysWritten, List<String> warnings, List<String> engineOutput) {

    public EnsureResult {
        resources = List.copyOf(resources);
        keysWritten = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keysWritten));
        warnings = List.copyOf(warnings);
        engineOutput = engineOutput == null ? List.of() : List.copyOf(engineOutput);
    }

    /** Anything created, updated or recovered, or any key written. */
    @JsonProperty("changed")
    public boolean changed() {
        return !keysWritten.isEmpty() || resources.stream().anyMatch(r -> r.action().changes());
    }

    /** "2 to create, 1 to update, 5 unchanged, 2 keys to write" (plan) or "2 created, ..." (apply). */
    @JsonProperty("summary")
    public String summary() {
        long create = count(ResourceChange.Action.CREATE);
        long update = count(ResourceChange.Action.UPDATE);
        long recovered = count(ResourceChange.Action.RECOVERED);
        long unchanged = count(ResourceChange.Action.UNCHANGED);
        long kept = count(ResourceChange.Action.MANUAL_RULE_KEPT) + count(ResourceChange.Action.STALE_POLICY_KEPT);
        StringBuilder sb = new StringBuilder();
        sb.append(create).append(plan ? " to create, " : " created, ");
        sb.append(update).append(plan ? " to update, " : " updated, ");
        if (recovered > 0) sb.append(recovered).append(plan ? " to recover, " : " recovered, ");
        sb.append(unchanged).append(" unchanged, ");
        if (kept > 0) sb.append(kept).append(" kept as found, ");
        sb.append(keysWritten.size()).append(keysWritten.size() == 1 ? " key" : " keys").append(plan ? " to write" : " written");
        return sb.toString();
    }

    private long count(ResourceChange.Action a) {
        return resources.stream().filter(r -> r.action() == a).count();
    }
}
