package io.datomicgitops.deploy;

import io.datomicgitops.record.DeploymentRecord;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.datomicgitops.ensure.EnsureResult;
import io.datomicgitops.instances.ReplacementResult;
import io.datomicgitops.stack.StackResult;

/** What applying one stack did: each phase's result and the deployment record (absent when nothing was to do). */
@JsonPropertyOrder({"stack", "outcome", "record", "tag", "ensureTransactor", "ensureCf", "templateCommit", "stackResult", "replacement"})
public record ApplyResult(
        String stack,
        Outcome outcome,
        DeploymentRecord record,
        String tag,
        EnsureResult ensureTransactor,
        EnsureResult ensureCf,
        String templateCommit,
        StackResult stackResult,
        ReplacementResult replacement) {
    /** How applying a stack ended; report.json carries the label. */
    public enum Outcome {
        DEPLOYED("deployed"),
        /** The plan found no change. */
        NOTHING_TO_DO("nothing-to-do");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        @com.fasterxml.jackson.annotation.JsonValue
        public String label() {
            return label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    static ApplyResult nothingToDo(String stack) {
        return new ApplyResult(stack, Outcome.NOTHING_TO_DO, null, null, null, null, null, null, null);
    }
}
