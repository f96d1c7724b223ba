package io.datomicgitops.deploy;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.datomicgitops.ensure.EnsureResult;
import io.datomicgitops.instances.ReplacementPlan;
import io.datomicgitops.stack.StackPreview;

import java.util.List;

/** Everything the plan of one stack found: ensure plans, the template and its diff, the stack preview, the instances. */
@JsonPropertyOrder({"stack", "summary", "ensureTransactor", "ensureCf", "templateDiff", "stackPreview", "instances", "drift"})
public record StackPlan(
        String stack,
        PlanSummary summary,
        EnsureResult ensureTransactor,
        EnsureResult ensureCf,
        String templateDiff,
        StackPreview stackPreview,
        ReplacementPlan instances,
        List<String> drift,
        @JsonIgnore String template) {

    public boolean changes() {
        return summary.changes();
    }
}
