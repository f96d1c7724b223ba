package io.datomicgitops.deploy;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * One stack's plan in a few numbers: what the approval gate shows and the pipeline reads from report.json
 * ({@code stacks.<name>}).
 */
@JsonPropertyOrder({"stackName", "region", "changes", "resourcesToCreate", "resourcesToUpdate", "keysToWrite", "templateChanged",
        "templateDiffLines", "stackExists", "changeSetChanges", "replacements", "instancesToReplace", "strategy",
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

    /** "1 to create, 0 to update, 2 keys, template +12 lines, 2 stack changes (1 replacement), 1 instance (surge)" */
    public String oneLine() {
        if (!changes) return "no changes";
        return resourcesToCreate + " to create, " + resourcesToUpdate + " to update, " + keysToWrite.size() + " key(s) to write, "
                + (templateChanged ? "template " + templateDiffLines + " line(s) changed" : "template unchanged") + ", "
                + (stackExists ? changeSetChanges + " stack change(s) (" + replacements + " replacement(s))" : "new stack") + ", "
                + instancesToReplace + " instance(s) to replace (" + strategy + ")";
    }
}
