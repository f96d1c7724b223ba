package io.datomicgitops.stack;

import com.fasterxml.jackson.annotation.JsonValue;

/** What was asked of a stack. The label is the string report.json and the messages have always shown. */
public enum StackOperation {
    CREATE("create", StackOutcome.CREATED),
    UPDATE("update", StackOutcome.UPDATED),
    CONTINUE_ROLLBACK("continue-rollback", StackOutcome.ROLLBACK_CONTINUED);

    private final String label;
    private final StackOutcome success;

    StackOperation(String label, StackOutcome success) {
        this.label = label;
        this.success = success;
    }

    @JsonValue
    public String label() { return label; }

    /** The outcome when the operation went through: a create ends created, an update updated. */
    public StackOutcome success() { return success; }

    /** The label, so that messages built by concatenation ("while update was running") read as before. */
    @Override
    public String toString() { return label; }
}
