package io.datomicgitops.stack;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a stack operation ended. The label is the string report.json and the console have always shown. */
public enum StackOutcome {
    CREATED("created"),
    UPDATED("updated"),
    NO_CHANGES("no-changes"),
    ROLLBACK_CONTINUED("rollback-continued"),
    ROLLED_BACK("rolled-back"),
    FAILED("failed"),
    TIMEOUT("timeout");

    private final String label;

    StackOutcome(String label) { this.label = label; }

    @JsonValue
    public String label() { return label; }

    /** True when the stack ended where it was asked to go (nothing to change counts). */
    public boolean succeeded() {
        return this == CREATED || this == UPDATED || this == NO_CHANGES || this == ROLLBACK_CONTINUED;
    }

    /** The label, so that messages built by concatenation read as before. */
    @Override
    public String toString() { return label; }
}
