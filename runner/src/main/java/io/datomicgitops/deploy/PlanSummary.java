package io.datomicgitops.deploy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.ArrayList;
import java.util.List;

/**
 * One stack's plan in a few numbers, and the only place they are put into words: {@link #oneLine()} (the console,
 * plan.md, the report's phase summary, the Jenkins build description) and {@link #details()} (what the Jenkins
 * approval gate shows per stack). Both are written into report.json ({@code stacks.<name>.summary} and
 * {@code .details}), and the Jenkins library prints them as they are.
 */
@JsonPropertyOrder({"stackName", "region", "changes", "summary", "details", "resourcesToCreate", "resourcesToUpdate", "keysToWrite",
        "templateChanged", "templateDiffLines", "stackExists", "changeSetChanges", "replacements", "instancesToReplace", "strategy",
        "recordUpToDate", "drift"})
public record PlanSummary(
        String stackName,
        String region,
        boolean changes,
        int resourcesToCreate,
        int resourcesToUpdate,
        List<String> keysToWrite,
        boolean templateChanged,
        int templateDiffLines,
        boolean stackExists,
        int changeSetChanges,
        int replacements,
        int instancesToReplace,
        String strategy,
        boolean recordUpToDate,
        List<String> drift) {

    /**
     * "1 to create, 0 to update, 1 key(s) to write, template 12 line(s) changed, 2 stack change(s) (1 replacement(s)),
     * 1 instance(s) to replace (surge)"; "no changes" when there are none.
     */
    @JsonProperty("summary")
    public String oneLine() {
        if (!changes) return "no changes";
        return resourcesToCreate + " to create, " + resourcesToUpdate + " to update, " + keysToWrite.size() + " key(s) to write, "
                + (templateChanged ? "template " + templateDiffLines + " line(s) changed" : "template unchanged") + ", "
                + (stackExists ? changeSetChanges + " stack change(s) (" + replacements + " replacement(s))" : "new stack") + ", "
                + instancesToReplace + " instance(s) to replace (" + strategy + ")";
    }

    /**
     * What an approver reads about this stack, a line each: the AWS resources (and the keys written), the template,
     * the change set, the instances, and the drift when there is any.
     */
    @JsonProperty("details")
    public List<String> details() {
        List<String> lines = new ArrayList<>();
        lines.add("AWS resources: " + resourcesToCreate + " to create, " + resourcesToUpdate + " to update"
                + (keysToWrite.isEmpty() ? "" : " (writes " + String.join(", ", keysToWrite) + ")"));
        lines.add("Template: " + (templateChanged ? templateDiffLines + " diff lines" : "unchanged"));
        lines.add("Change set: " + (stackExists ? changeSetChanges + " changes, " + replacements + " with replacement"
                : "new stack (created from the template)"));
        lines.add("Instances to replace: " + instancesToReplace + " (strategy " + (strategy == null ? "default" : strategy) + ")");
        if (!drift.isEmpty()) lines.add("Drift: " + String.join("; ", drift));
        return List.copyOf(lines);
    }
}
