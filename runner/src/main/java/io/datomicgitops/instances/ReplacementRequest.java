package io.datomicgitops.instances;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What to replace and how: the group, the strategy, all instances or only the old ones (optionally only among given
 * instance ids, e.g. those running before the stack update), the overall timeout, the per-instance health timeout, the
 * readiness signals (health endpoint, heartbeat metric, a fixed warm-up), and the active transactor if known (replaced
 * last; by default the newest instance is taken for the standby and replaced first).
 */
public record ReplacementRequest(
        String groupName,
        Strategy strategy,
        boolean all,
        Set<String> onlyInstances,
        Duration timeout,
        Duration healthTimeout,
        Optional<HealthEndpoint> endpoint,
        Optional<HeartbeatMetric> heartbeat,
        Duration warmup,
        Optional<String> activeInstance) {

    public ReplacementRequest {
        Objects.requireNonNull(groupName, "groupName");
        Objects.requireNonNull(strategy, "strategy");
        onlyInstances = onlyInstances == null ? Set.of() : Set.copyOf(onlyInstances);
        timeout = timeout == null ? Duration.ofMinutes(20) : timeout;
        healthTimeout = healthTimeout == null ? Duration.ofMinutes(10) : healthTimeout;
        endpoint = endpoint == null ? Optional.empty() : endpoint;
        heartbeat = heartbeat == null ? Optional.empty() : heartbeat;
        warmup = warmup == null ? Duration.ZERO : warmup;
        activeInstance = activeInstance == null ? Optional.empty() : activeInstance;
    }

    public static ReplacementRequest of(String groupName, Strategy strategy) {
        return new ReplacementRequest(groupName, strategy, false, Set.of(), null, null, null, null, null, null);
    }

    public ReplacementRequest withGroup(String name) {
        return new ReplacementRequest(name, strategy, all, onlyInstances, timeout, healthTimeout, endpoint, heartbeat, warmup, activeInstance);
    }

    public ReplacementRequest withAll(boolean a) {
        return new ReplacementRequest(groupName, strategy, a, onlyInstances, timeout, healthTimeout, endpoint, heartbeat, warmup, activeInstance);
    }

    public ReplacementRequest withOnlyInstances(Set<String> ids) {
        return new ReplacementRequest(groupName, strategy, all, ids, timeout, healthTimeout, endpoint, heartbeat, warmup, activeInstance);
    }

    public ReplacementRequest withTimeouts(Duration overall, Duration health) {
        return new ReplacementRequest(groupName, strategy, all, onlyInstances, overall, health, endpoint, heartbeat, warmup, activeInstance);
    }

    public ReplacementRequest withEndpoint(HealthEndpoint e) {
        return new ReplacementRequest(groupName, strategy, all, onlyInstances, timeout, healthTimeout, Optional.ofNullable(e), heartbeat, warmup, activeInstance);
    }

    public ReplacementRequest withHeartbeat(HeartbeatMetric h) {
        return new ReplacementRequest(groupName, strategy, all, onlyInstances, timeout, healthTimeout, endpoint, Optional.ofNullable(h), warmup, activeInstance);
    }

    public ReplacementRequest withWarmup(Duration w) {
        return new ReplacementRequest(groupName, strategy, all, onlyInstances, timeout, healthTimeout, endpoint, heartbeat, w, activeInstance);
    }

    public ReplacementRequest withActiveInstance(String id) {
        return new ReplacementRequest(groupName, strategy, all, onlyInstances, timeout, healthTimeout, endpoint, heartbeat, warmup, Optional.ofNullable(id));
    }
}
