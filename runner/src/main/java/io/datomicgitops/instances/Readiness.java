package io.datomicgitops.instances;

import io.datomicgitops.report.Log;
import software.amazon.awssdk.core.exception.SdkException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Decides when a new transactor instance is ready to take over: InService and Healthy in the group, and every signal
 * available here agrees: the health endpoint answers (when ping-port is set and the runner can reach the instances),
 * the heartbeat metric shows a standby (when metrics are on and the new instance is the only standby), and the
 * warm-up has passed.
 */
final class Readiness {
    private final HealthProbe probe;
    private final Optional<HealthEndpoint> endpoint;
    private final Optional<HeartbeatWatch> heartbeat;
    private final Duration warmup;
    private final Clock clock;
    private final Log log;
    private final Map<String, Instant> inServiceSince = new HashMap<>();
    private final Set<String> said = new HashSet<>();
    private final Map<String, String> waitingFor = new HashMap<>();
    private boolean endpointUsable;
    private boolean heartbeatReadable = true;
    private final List<String> warnings = new ArrayList<>();

    Readiness(HealthProbe probe, Optional<HealthEndpoint> endpoint, Optional<HeartbeatWatch> heartbeat, Duration warmup,
              Clock clock, Log log) {
        this.probe = probe;
        this.endpoint = endpoint;
        this.heartbeat = heartbeat;
        this.warmup = warmup;
        this.clock = clock;
        this.log = log;
    }

    /**
     * Asks the running instances' endpoint once: if one answers, the runner can reach the transactors and new ones must
     * answer too; if none does (another network, or ping-host bound to localhost), the endpoint is not used.
     */
    void calibrate(List<String> runningAddresses, List<String> warnings) {
        if (endpoint.isEmpty()) return;
        int port = endpoint.get().pingPort();
        for (String address : runningAddresses) {
            if (probe.check(address, port) != HealthProbe.Answer.UNREACHABLE) {
                endpointUsable = true;
                return;
            }
        }
        if (runningAddresses.isEmpty()) {
            // nothing runs to test the path with: require the endpoint of the new instance (a reachable group is the norm)
            endpointUsable = true;
            return;
        }
        String w = "the transactors' health endpoint (port " + port + ") does not answer from here; readiness relies on the group's health"
                + (heartbeat.isPresent() ? " and the heartbeat metric" : "");
        warnings.add(w);
        log.warn(w);
    }

    String describe() {
        List<String> signals = new ArrayList<>(List.of("group InService+Healthy"));
        if (endpoint.isPresent() && endpointUsable) signals.add("GET /health on port " + endpoint.get().pingPort());
        if (heartbeat.isPresent() && heartbeatReadable) signals.add(HeartbeatMetric.METRIC + " (when the new instance is the only standby)");
        if (!warmup.isZero()) signals.add("warm-up " + warmup.toSeconds() + "s");
        return String.join(" + ", signals);
    }

    /**
     * @param otherInService InService instances besides this one: 1 means it joins as the only standby (the heartbeat
     *                       then proves it), 0 means it becomes active, 2 or more that another standby exists
     */
    boolean ready(String instanceId, String lifecycle, String health, Function<String, String> addressOf, int otherInService) {
        if (!"InService".equals(lifecycle) || !"Healthy".equalsIgnoreCase(health)) {
            waitingFor.put(instanceId, lifecycle + "/" + health + " in the group");
            return false;
        }
        Instant since = inServiceSince.computeIfAbsent(instanceId, k -> clock.instant());
        say(instanceId, "in service", instanceId + " is InService and Healthy");
        if (endpoint.isPresent() && endpointUsable) {
            HealthProbe.Answer a = probe.check(addressOf.apply(instanceId), endpoint.get().pingPort());
            if (a != HealthProbe.Answer.HEALTHY) {
                say(instanceId, "endpoint", instanceId + ": waiting for its health endpoint");
                waitingFor.put(instanceId, "its health endpoint did not answer");
                return false;
            }
            say(instanceId, "endpoint ok", instanceId + " answers GET /health");
        }
        if (heartbeat.isPresent() && heartbeatReadable && otherInService == 1) {
            Optional<Boolean> reported = heartbeatReported(since);
            if (reported.isPresent() && !reported.get()) {
                say(instanceId, "heartbeat", instanceId + ": waiting for " + HeartbeatMetric.METRIC + " (standby heartbeat)");
                waitingFor.put(instanceId, "InService, but no standby heartbeat (" + HeartbeatMetric.METRIC + "): its transactor never became standby");
                return false;
            }
            if (reported.isPresent()) say(instanceId, "heartbeat ok", instanceId + ": a standby reports " + HeartbeatMetric.METRIC);
        }
        if (Duration.between(since, clock.instant()).compareTo(warmup) < 0) {
            say(instanceId, "warmup", instanceId + ": warm-up of " + warmup.toSeconds() + "s");
            waitingFor.put(instanceId, "in its warm-up");
            return false;
        }
        return true;
    }

    /** Empty when the metric cannot be read: then it is dropped as a signal, with a warning, rather than failing. */
    private Optional<Boolean> heartbeatReported(Instant since) {
        try {
            return Optional.of(heartbeat.get().reportedSince(since));
        } catch (SdkException e) {
            heartbeatReadable = false;
            String w = "cannot read " + HeartbeatMetric.METRIC + " (" + e.getMessage().lines().findFirst().orElse("")
                    + "): readiness relies on the group's health" + (endpoint.isPresent() && endpointUsable ? " and the health endpoint" : "");
            warnings.add(w);
            log.warn(w);
            return Optional.empty();
        }
    }

    /** What an instance that is not ready yet was last waiting for, to name it when the wait times out. */
    Optional<String> waitingFor(String instanceId) {
        return Optional.ofNullable(waitingFor.get(instanceId));
    }

    /** Warnings raised while judging readiness (signals that had to be dropped). */
    List<String> warnings() {
        return List.copyOf(warnings);
    }

    private void say(String instanceId, String what, String line) {
        if (said.add(instanceId + "/" + what)) log.progress(line);
    }
}
