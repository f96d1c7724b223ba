package io.datomicgitops.deploy;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.datomicgitops.ensure.EnsureResult;
import io.datomicgitops.configrepo.StackInputs;
import io.datomicgitops.instances.InstanceReplacer;
import io.datomicgitops.instances.ReplacementPlan;
import io.datomicgitops.stack.StackPreview;

import java.util.List;
import java.util.Optional;

/** Everything the plan of one stack found: ensure plans, the template and its diff, the stack preview, the instances. */
@JsonPropertyOrder({"stack", "summary", "settings", "ensureTransactor", "ensureCf", "templateDiff", "stackPreview", "instances", "drift"})
public record StackPlan(
        String stack,
        PlanSummary summary,
        EnsureResult ensureTransactor,
        EnsureResult ensureCf,
        String templateDiff,
        StackPreview stackPreview,
        ReplacementPlan instances,
        List<String> drift,
        @JsonIgnore String template,
        /** The template the stack runs now, as the plan read it (empty: no stack yet). */
        @JsonIgnore Optional<String> deployedTemplate,
        /** The stack's files as read once: what apply writes on and deploys. */
        @JsonIgnore StackInputs inputs,
        /** The stack's group as read by the plan: the instances running before the update. */
        @JsonIgnore Optional<InstanceReplacer.GroupSnapshot> group,
        /** The update changes what the transactors launch from: every instance in the group is then old. */
        @JsonIgnore boolean launchChanges,
        /** The settings the deployment changes, from where the stack was last deployed. */
        List<SettingChange> settings) {

    public StackPlan withSettings(List<SettingChange> changed) {
        return new StackPlan(stack, summary, ensureTransactor, ensureCf, templateDiff, stackPreview, instances, drift, template,
                deployedTemplate, inputs, group, launchChanges, List.copyOf(changed));
    }

    public StackPlan withSummary(PlanSummary changed) {
        return new StackPlan(stack, changed, ensureTransactor, ensureCf, templateDiff, stackPreview, instances, drift, template,
                deployedTemplate, inputs, group, launchChanges, settings);
    }

    public boolean changes() {
        return summary.changes();
    }

    private static final java.util.regex.Pattern GENERATED_ROLE = java.util.regex.Pattern.compile("datomic-aws-(transactor|peer)(-\\d+)?");

    /**
     * The role names this plan creates under Datomic's generated scheme (the first free of datomic-aws-transactor,
     * -1, -2, ...), each with a placeholder: which one apply gets depends on the roles that exist then, other stacks of
     * the same run included, so the plan shows them as generated at apply.
     */
    public java.util.Map<String, String> generatedRoleNames() {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String key : List.of("aws-transactor-role", "aws-peer-role")) {
            String value = ensureTransactor.keysWritten().get(key);
            if (value == null || !GENERATED_ROLE.matcher(value).matches()) continue;
            boolean created = ensureTransactor.resources().stream().anyMatch(r -> r.kind() == io.datomicgitops.ensure.ResourceChange.Kind.IAM_ROLE
                    && r.action() == io.datomicgitops.ensure.ResourceChange.Action.CREATE && value.equals(r.name()));
            if (created) out.put(value, "<generated " + key + ">");
        }
        return out;
    }
}
