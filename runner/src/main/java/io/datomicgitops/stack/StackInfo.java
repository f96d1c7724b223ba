package io.datomicgitops.stack;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Map;

/** A deployed stack as DescribeStacks shows it (NoEcho parameter values come back masked by AWS). */
@JsonPropertyOrder({"stackName", "stackId", "status", "statusReason", "terminationProtection", "createdAt", "updatedAt",
        "parameters", "outputs", "tags"})
public record StackInfo(
        String stackName,
        String stackId,
        String status,
        String statusReason,
        boolean terminationProtection,
        String createdAt,
        String updatedAt,
        Map<String, String> parameters,
        Map<String, String> outputs,
        Map<String, String> tags) {

    /** A stack that a CREATE change set made but that was never executed: it has no resources yet. */
    public boolean isReviewOnly() {
        return "REVIEW_IN_PROGRESS".equals(status);
    }
}
