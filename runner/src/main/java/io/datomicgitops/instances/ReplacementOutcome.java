package io.datomicgitops.instances;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a replacement ended. The label is the string report.json and the console have always shown. */
public enum ReplacementOutcome {
    REPLACED("replaced"),
    NOTHING_TO_REPLACE("nothing-to-replace"),
    FAILED("failed"),
    TIMEOUT("timeout");

    private final String label;

    ReplacementOutcome(String label) { this.label = label; }

    @JsonValue
    public String label() { return label; }

    /** The label, so that summaries built by concatenation read as before. */
    @Override
    public String toString() { return label; }
}
