package io.datomicgitops.stack;

import java.util.Set;

/** What a CloudFormation stack status means for a deployment. */
public final class StackStatuses {
    private StackStatuses() {}

    private static final Set<String> SUCCESS = Set.of("CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE");

    /** Still moving: wait. REVIEW_IN_PROGRESS is a resting state (a CREATE change set not executed yet), not a move. */
    public static boolean inProgress(String status) {
        return status.endsWith("_IN_PROGRESS") && !status.equals("REVIEW_IN_PROGRESS");
    }

    public static boolean success(String status) {
        return SUCCESS.contains(status);
    }

    /** A stack in one of these cannot be updated: a failed create leaves only deletion (done by the operator, never by us). */
    public static boolean needsDeletion(String status) {
        return status.equals("ROLLBACK_COMPLETE") || status.equals("ROLLBACK_FAILED") || status.equals("CREATE_FAILED")
                || status.equals("DELETE_FAILED");
    }

    /** A failed update whose rollback failed too: the rollback must be continued before anything else. */
    public static boolean rollbackFailed(String status) {
        return status.equals("UPDATE_ROLLBACK_FAILED");
    }

    /** A resource or stack event status that names a failure. */
    public static boolean failedEvent(String status) {
        return status != null && status.endsWith("_FAILED");
    }
}
