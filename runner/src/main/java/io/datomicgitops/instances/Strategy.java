package io.datomicgitops.instances;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;

import java.util.Arrays;

/** How transactor instances are replaced (docs/APPLY.md). */
public enum Strategy {
    /** Launch a new instance first, let it become the standby, then terminate an old one: one failover, no gap. */
    SURGE("surge"),
    /** The runbook: terminate, and let the group launch the replacement (downtime: the new instance's boot). */
    TERMINATE("terminate"),
    /** EC2 Auto Scaling instance refresh, launching before terminating (min healthy 100%). */
    INSTANCE_REFRESH("instance-refresh");

    public final String id;

    Strategy(String id) {
        this.id = id;
    }

    public static Strategy parse(String s) {
        return Arrays.stream(values()).filter(v -> v.id.equals(s.trim())).findFirst().orElseThrow(() ->
                new ToolException(ExitCode.USAGE, "unknown replacement strategy '" + s + "'", "replace-strategy",
                        "use surge, terminate or instance-refresh"));
    }

    @Override
    public String toString() {
        return id;
    }
}
