package io.datomicgitops.findings;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * Something a reviewer must see before approving: a problem in a stack's files or in what a deployment would do,
 * with how bad it is, a stable code (what an operator names to acknowledge it), what and where. Findings reach
 * report.json and the top of the stack's section in plan.md, not only stderr.
 *
 * @param code         stable, kebab-case (e.g. {@code plain-text-secret}); {@code acknowledge=} in deploy.properties names it
 * @param where        file:line when it comes from a file, else the stack or phase
 * @param acknowledged the operator acknowledged this code in deploy.properties: shown, no longer counted as a warning
 */
@JsonPropertyOrder({"severity", "code", "message", "where", "acknowledged"})
public record Finding(Severity severity, String code, String message, String where, boolean acknowledged) {

    public enum Severity {
        /** The deployment cannot go ahead (validate and plan exit non-zero). */
        ERROR,
        /** Likely wrong, or unsafe: a reviewer should read it before approving. */
        WARNING,
        /** Worth knowing. */
        INFO;

        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static Finding error(String code, String message, String where) {
        return new Finding(Severity.ERROR, code, message, where, false);
    }

    public static Finding warning(String code, String message, String where) {
        return new Finding(Severity.WARNING, code, message, where, false);
    }

    public static Finding info(String code, String message, String where) {
        return new Finding(Severity.INFO, code, message, where, false);
    }

    public Finding acknowledge() {
        return new Finding(severity, code, message, where, true);
    }

    /** "warning plain-text-secret: stacks/prod/transactor.properties:7: license-key holds ..." */
    @Override
    public String toString() {
        return severity.label() + (acknowledged ? " (acknowledged)" : "") + " " + code + ": " + (where == null ? "" : where + ": ") + message;
    }
}
