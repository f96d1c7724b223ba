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
        /** "deployed", or "nothing-to-do" when the plan found no change. */
        String outcome,
        DeploymentRecord record,
        String tag,
        EnsureResult ensureTransactor,
        EnsureResult ensureCf,
        String templateCommit,
        StackResult stackResult,
        ReplacementResult replacement) {
}
