package io.datomicgitops.stack;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/** What an apply did: the change set, the final status, the stack events it produced, and the group it left. */
@JsonPropertyOrder({"stackName", "stackId", "operation", "outcome", "stackStatus", "statusReason", "changeSetName",
        "changeSetId", "templateUrl", "terminationProtection", "autoScalingGroup", "durationMs", "preview", "events",
        "failures", "warnings"})
public record StackResult(
        String stackName,
        String stackId,
        /** create, update, continue-rollback. */
        String operation,
        /** created, updated, no-changes, rollback-continued, rolled-back, failed, timeout. */
        String outcome,
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
        return outcome.equals("created") || outcome.equals("updated") || outcome.equals("no-changes")
                || outcome.equals("rollback-continued");
    }

    /** One stack event, as streamed to the log. */
    @JsonPropertyOrder({"time", "logicalId", "resourceType", "status", "reason", "physicalId"})
    public record StackEventLine(String time, String logicalId, String resourceType, String status, String reason,
                                 String physicalId) {
        public String describe() {
            return time + " " + logicalId + " " + resourceType + " " + status + (reason == null || reason.isBlank() ? "" : " " + reason);
        }
    }
}
