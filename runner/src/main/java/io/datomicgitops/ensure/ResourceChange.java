package io.datomicgitops.ensure;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.List;

/**
 * One AWS resource as an ensure phase sees it: what it is, what the phase does (or would do) to it, the field-level
 * differences behind an update, and the mutating AWS calls that action makes ("Service:Operation", as the
 * {@link io.datomicgitops.aws.ApiCallCounter} names them): apply makes exactly the calls its plan lists.
 */
@JsonPropertyOrder({"kind", "name", "action", "key", "differences", "calls", "note"})
public record ResourceChange(Kind kind, String name, Action action, String key, List<Difference> differences,
                             List<String> calls, String note) {

    public ResourceChange {
        differences = differences == null ? List.of() : List.copyOf(differences);
        calls = calls == null ? List.of() : List.copyOf(calls);
    }

    public enum Kind {
        DYNAMODB_TABLE("dynamodb-table"),
        IAM_ROLE("iam-role"),
        IAM_POLICY("iam-policy"),
        INSTANCE_PROFILE("instance-profile"),
        S3_BUCKET("s3-bucket"),
        SECURITY_GROUP("security-group"),
        INGRESS_RULE("ingress-rule");

        private final String label;

        Kind(String label) { this.label = label; }

        @JsonValue
        public String label() { return label; }
    }

    public enum Action {
        CREATE("create"),
        UPDATE("update"),
        UNCHANGED("unchanged"),
        /** Found again by its tags (or taken from the running stack with --adopt) and written back to the file. */
        RECOVERED("recovered"),
        /** An ingress rule the file does not ask for (added by hand): reported, never revoked. */
        MANUAL_RULE_KEPT("manual-rule-kept"),
        /** An inline policy in Datomic's naming scheme that the file no longer asks for: reported, never deleted. */
        STALE_POLICY_KEPT("stale-policy-kept");

        private final String label;

        Action(String label) { this.label = label; }

        @JsonValue
        public String label() { return label; }

        /** True when the action changes AWS or the file. */
        public boolean changes() {
            return this == CREATE || this == UPDATE || this == RECOVERED;
        }
    }

    /** One field that differs: its value now and the value the phase sets. */
    @JsonPropertyOrder({"field", "from", "to"})
    public record Difference(String field, String from, String to) {
        /** As the plan's Markdown and status show it: {@code point-in-time-recovery: disabled -> enabled}. */
        @Override
        public String toString() {
            return field + ": " + from + " -> " + to;
        }
    }

    static ResourceChange of(Kind kind, String name, Action action, String key, List<String> calls, String note) {
        return new ResourceChange(kind, name, action, key, List.of(), calls, note);
    }

    ResourceChange withDifferences(List<Difference> d) {
        return new ResourceChange(kind, name, action, key, d, calls, note);
    }

    ResourceChange withName(String n) {
        return new ResourceChange(kind, n, action, key, differences, calls, note);
    }

    ResourceChange withCalls(List<String> c, String n) {
        return new ResourceChange(kind, name, action, key, differences, c, n);
    }
}
