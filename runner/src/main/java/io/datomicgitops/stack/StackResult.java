package io.datomicgitops.stack;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.datomicgitops.RequiredFields;

import java.util.List;

/**
 * What an apply did: the change set, the final status, the stack events it produced, and the group it left. Built by
 * name ({@link #builder()}): sixteen positional arguments, half of them nullable strings, were too easy to swap.
 */
@JsonPropertyOrder({"stackName", "stackId", "operation", "outcome", "stackStatus", "statusReason", "changeSetName",
        "changeSetId", "templateUrl", "terminationProtection", "autoScalingGroup", "durationMs", "preview", "events",
        "failures", "warnings"})
public record StackResult(
        String stackName,
        String stackId,
        StackOperation operation,
        StackOutcome outcome,
        String stackStatus,
        String statusReason,
        String changeSetName,
        String changeSetId,
        String templateUrl,
        boolean terminationProtection,
        String autoScalingGroup,
        long durationMs,
        StackPreview preview,
        List<StackEventLine> events,
        List<StackEventLine> failures,
        List<String> warnings) {

    public boolean succeeded() {
        return outcome.succeeded();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** One stack event, as streamed to the log. */
    @JsonPropertyOrder({"time", "logicalId", "resourceType", "status", "reason", "physicalId"})
    public record StackEventLine(String time, String logicalId, String resourceType, String status, String reason,
                                 String physicalId) {
        public String describe() {
            return time + " " + logicalId + " " + resourceType + " " + status + (reason == null || reason.isBlank() ? "" : " " + reason);
        }
    }

    /**
     * Requires the stack's name, the operation, the outcome and the duration; everything else may stay unset (null,
     * false, or for the lists empty: report.json has always shown them as [] rather than leaving them out).
     */
    public static final class Builder {
        private String stackName;
        private String stackId;
        private StackOperation operation;
        private StackOutcome outcome;
        private String stackStatus;
        private String statusReason;
        private String changeSetName;
        private String changeSetId;
        private String templateUrl;
        private boolean terminationProtection;
        private String autoScalingGroup;
        private Long durationMs;
        private StackPreview preview;
        private List<StackEventLine> events = List.of();
        private List<StackEventLine> failures = List.of();
        private List<String> warnings = List.of();

        private Builder() {}

        public Builder stackName(String v) { stackName = v; return this; }
        public Builder stackId(String v) { stackId = v; return this; }
        public Builder operation(StackOperation v) { operation = v; return this; }
        public Builder outcome(StackOutcome v) { outcome = v; return this; }
        public Builder stackStatus(String v) { stackStatus = v; return this; }
        public Builder statusReason(String v) { statusReason = v; return this; }
        public Builder changeSetName(String v) { changeSetName = v; return this; }
        public Builder changeSetId(String v) { changeSetId = v; return this; }
        public Builder templateUrl(String v) { templateUrl = v; return this; }
        public Builder terminationProtection(boolean v) { terminationProtection = v; return this; }
        public Builder autoScalingGroup(String v) { autoScalingGroup = v; return this; }
        public Builder durationMs(long v) { durationMs = v; return this; }
        public Builder preview(StackPreview v) { preview = v; return this; }
        public Builder events(List<StackEventLine> v) { events = v; return this; }
        public Builder failures(List<StackEventLine> v) { failures = v; return this; }
        public Builder warnings(List<String> v) { warnings = v; return this; }

        public StackResult build() {
            RequiredFields.of("StackResult").check("stackName", stackName).check("operation", operation)
                    .check("outcome", outcome).check("durationMs", durationMs).orThrow();
            return new StackResult(stackName, stackId, operation, outcome, stackStatus, statusReason, changeSetName,
                    changeSetId, templateUrl, terminationProtection, autoScalingGroup, durationMs, preview, events, failures,
                    warnings);
        }
    }
}
