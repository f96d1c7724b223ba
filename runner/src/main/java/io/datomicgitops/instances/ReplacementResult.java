package io.datomicgitops.instances;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.datomicgitops.RequiredFields;

import java.util.List;

/**
 * What a replacement did: old instances terminated, new ones launched, old ones left (on failure), the capacity before
 * and after, how readiness was judged, and the seconds the group had no InService instance (the downtime figure the
 * strategies are compared on; as fine as the polling, a few seconds). Built by name ({@link #builder()}): three
 * instance-id lists in a row were too easy to swap.
 */
@JsonPropertyOrder({"groupName", "strategy", "outcome", "replaced", "launched", "oldRemaining", "capacityBefore",
        "capacityAfter", "zeroInServiceSeconds", "durationMs", "readiness", "timeline", "warnings"})
public record ReplacementResult(
        String groupName,
        String strategy,
        ReplacementOutcome outcome,
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

    public static Builder builder() {
        return new Builder();
    }

    @JsonPropertyOrder({"at", "event"})
    public record TimelineEntry(String at, String event) {}

    /**
     * Requires the group, the strategy, the outcome and the duration; everything else may stay unset (null, 0, or for
     * the lists empty: report.json has always shown them as [] rather than leaving them out).
     */
    public static final class Builder {
        private String groupName;
        private String strategy;
        private ReplacementOutcome outcome;
        private List<String> replaced = List.of();
        private List<String> launched = List.of();
        private List<String> oldRemaining = List.of();
        private Capacity capacityBefore;
        private Capacity capacityAfter;
        private double zeroInServiceSeconds;
        private Long durationMs;
        private String readiness;
        private List<TimelineEntry> timeline = List.of();
        private List<String> warnings = List.of();

        private Builder() {}

        public Builder groupName(String v) { groupName = v; return this; }
        public Builder strategy(String v) { strategy = v; return this; }
        public Builder outcome(ReplacementOutcome v) { outcome = v; return this; }
        public Builder replaced(List<String> v) { replaced = v; return this; }
        public Builder launched(List<String> v) { launched = v; return this; }
        public Builder oldRemaining(List<String> v) { oldRemaining = v; return this; }
        public Builder capacityBefore(Capacity v) { capacityBefore = v; return this; }
        public Builder capacityAfter(Capacity v) { capacityAfter = v; return this; }
        public Builder zeroInServiceSeconds(double v) { zeroInServiceSeconds = v; return this; }
        public Builder durationMs(long v) { durationMs = v; return this; }
        public Builder readiness(String v) { readiness = v; return this; }
        public Builder timeline(List<TimelineEntry> v) { timeline = v; return this; }
        public Builder warnings(List<String> v) { warnings = v; return this; }

        public ReplacementResult build() {
            RequiredFields.of("ReplacementResult").check("groupName", groupName).check("strategy", strategy)
                    .check("outcome", outcome).check("durationMs", durationMs).orThrow();
            return new ReplacementResult(groupName, strategy, outcome, replaced, launched, oldRemaining, capacityBefore,
                    capacityAfter, zeroInServiceSeconds, durationMs, readiness, timeline, warnings);
        }
    }
}
