package io.datomicgitops.instances;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * What a replacement did: old instances terminated, new ones launched, old ones left (on failure), the capacity before
 * and after, how readiness was judged, and the seconds the group had no InService instance (the downtime figure the
 * strategies are compared on; as fine as the polling, a few seconds).
 */
@JsonPropertyOrder({"groupName", "strategy", "outcome", "replaced", "launched", "oldRemaining", "capacityBefore",
        "capacityAfter", "zeroInServiceSeconds", "durationMs", "readiness", "timeline", "warnings"})
public record ReplacementResult(
        String groupName,
        String strategy,
        /** replaced, nothing-to-replace, failed, timeout. */
        String outcome,
        List<String> replaced,
        List<String> launched,
        List<String> oldRemaining,
        Capacity capacityBefore,
        Capacity capacityAfter,
        double zeroInServiceSeconds,
        long durationMs,
        String readiness,
        List<TimelineEntry> timeline,
        List<String> warnings) {

    @JsonPropertyOrder({"at", "event"})
    public record TimelineEntry(String at, String event) {}
}
