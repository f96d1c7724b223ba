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
        NOTHING_TO_DO("nothing-to-do"),
        /** Applying it failed: the run stopped there. */
        FAILED("failed"),
        /** An earlier stack of the run failed, so this one was left alone. */
        NOT_ATTEMPTED("not-attempted");

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

    /** The line the console prints for this stack: what was deployed (and tagged), or that nothing was to do. */
    public String line() {
        if (outcome == Outcome.DEPLOYED && record != null) {
            return stack + ": " + record.stackName() + " " + record.status() + ", " + record.instancesReplaced().size()
                    + " instance(s) replaced, tagged " + tag;
        }
        return stack + ": " + (outcome == Outcome.NOTHING_TO_DO ? "nothing to do" : outcome.label());
    }

    static ApplyResult nothingToDo(String stack) {
        return new ApplyResult(stack, Outcome.NOTHING_TO_DO, null, null, null, null, null, null, null);
    }
}
