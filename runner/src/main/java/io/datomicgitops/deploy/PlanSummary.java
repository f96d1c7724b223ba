package io.datomicgitops.deploy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.datomicgitops.findings.Finding;

import java.util.ArrayList;
import java.util.List;

/**
 * One stack's plan in a few numbers, and the only place they are put into words: {@link #oneLine()} (the console,
 * plan.md, the report's phase summary, the Jenkins build description) and {@link #details()} (what the Jenkins
 * approval gate shows per stack). Both are written into report.json ({@code stacks.<name>.summary} and
 * {@code .details}), and the Jenkins library prints them as they are.
 */
@JsonPropertyOrder({"stackName", "region", "changes", "impact", "summary", "details", "findings", "resourcesToCreate", "resourcesToUpdate", "keysToWrite",
        "templateChanged", "templateDiffLines", "stackExists", "changeSetChanges", "replacements", "instancesToReplace", "strategy",
        "recordUpToDate", "drift", "instancesRunning", "lastFailure"})
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
        List<String> drift,
        /** The transactors the group runs now (0 for a new stack). */
        int instancesRunning,
        /** What a reviewer must see first: warnings and errors about the files and the deployment. */
        List<Finding> findings,
        /** The stack's last apply, when it failed (its -failed tag): what it attempted, why, what git did; else null. */
        String lastFailure) {

    public PlanSummary(String stackName, String region, boolean changes, int resourcesToCreate, int resourcesToUpdate, List<String> keysToWrite,
                       boolean templateChanged, int templateDiffLines, boolean stackExists, int changeSetChanges, int replacements,
                       int instancesToReplace, String strategy, boolean recordUpToDate, List<String> drift, int instancesRunning,
                       List<Finding> findings) {
        this(stackName, region, changes, resourcesToCreate, resourcesToUpdate, keysToWrite, templateChanged, templateDiffLines, stackExists,
                changeSetChanges, replacements, instancesToReplace, strategy, recordUpToDate, drift, instancesRunning, findings, null);
    }

    public PlanSummary withLastFailure(String line) {
        return new PlanSummary(stackName, region, changes, resourcesToCreate, resourcesToUpdate, keysToWrite, templateChanged, templateDiffLines,
                stackExists, changeSetChanges, replacements, instancesToReplace, strategy, recordUpToDate, drift, instancesRunning, findings, line);
    }

    /** Datomic's documented failover: peers reconnect to the new active transactor in about 11 s. */
    static final int FAILOVER_SECONDS = 11;
    /** A new instance's boot to standby (AMI start-up, the transactor joining as standby): minutes, not seconds. */
    static final int MINUTES_PER_INSTANCE = 3;

    /**
     * The first line a reviewer reads: what changes, which transactors are replaced in which order, the failovers
     * (or the outage), and about how long it takes. "nothing to do" when there are no changes.
     */
    @JsonProperty("impact")
    public String impact() {
        if (!changes) return "nothing to do";
        List<String> parts = new ArrayList<>();
        if (resourcesToCreate + resourcesToUpdate > 0) {
            parts.add(resourcesToCreate + " AWS resource(s) to create, " + resourcesToUpdate + " to update");
        }
        if (!stackExists) {
            parts.add("a new stack launches its transactor(s)");
        } else if (changeSetChanges > 0) {
            parts.add("the stack update changes " + changeSetChanges + " resource(s)");
        } else if (templateChanged) {
            parts.add("the template changes");
        }
        if (instancesToReplace > 0) {
            boolean outage = "terminate".equals(strategy) && instancesRunning <= 1;
            parts.add("replaces " + instancesToReplace + " of " + instancesRunning + " transactor(s) by " + strategy
                    + (instancesRunning > 1 ? ", the standby first, then the active" : "")
                    + (outage ? ": no standby, writes unavailable while the new transactor boots (about " + MINUTES_PER_INSTANCE + " min)"
                    : ": 1 failover (about " + FAILOVER_SECONDS + " s without writes)"));
        } else if (stackExists) {
            parts.add("no transactor replaced");
        }
        if (parts.isEmpty()) parts.add("the deployment record is brought up to date");
        int minutes = (stackExists ? (changeSetChanges > 0 || templateChanged ? 2 : 0) : 5) + instancesToReplace * MINUTES_PER_INSTANCE;
        return String.join("; ", parts) + (minutes > 0 ? "; expected about " + minutes + " min" : "");
    }

    /**
     * "1 to create, 0 to update, 1 key(s) to write, template 12 line(s) changed, 2 stack change(s) (1 recreating a resource),
     * 1 instance(s) to replace (surge)"; "no changes" when there are none.
     */
    @JsonProperty("summary")
    public String oneLine() {
        if (!changes) return "no changes";
        return resourcesToCreate + " to create, " + resourcesToUpdate + " to update, " + keysToWrite.size() + " key(s) to write, "
                + (templateChanged ? "template " + templateDiffLines + " line(s) changed" : "template unchanged") + ", "
                + (stackExists ? changeSetChanges + " stack change(s) (" + replacements + " recreating a resource)" : "new stack") + ", "
                + instancesToReplace + " instance(s) to replace (" + strategy + ")";
    }

    /**
     * What an approver reads about this stack, a line each: the AWS resources (and the keys written), the template,
     * the change set, the instances, and the drift when there is any.
     */
    @JsonProperty("details")
    public List<String> details() {
        List<String> lines = new ArrayList<>();
        if (lastFailure != null) lines.add("Last apply: " + lastFailure);
        lines.add("AWS resources: " + resourcesToCreate + " to create, " + resourcesToUpdate + " to update"
                + (keysToWrite.isEmpty() ? "" : " (writes " + String.join(", ", keysToWrite) + ")"));
        lines.add("Template: " + (templateChanged ? templateDiffLines + " diff lines" : "unchanged"));
        lines.add("Change set: " + (stackExists ? changeSetChanges + " changes, " + replacements + " recreating a resource"
                : "new stack (created from the template)"));
        lines.add("Instances to replace: " + instancesToReplace + " (strategy " + (strategy == null ? "default" : strategy) + ")");
        if (!drift.isEmpty()) lines.add("Drift: " + String.join("; ", drift));
        findings.stream().filter(f -> !f.acknowledged() && f.severity() != Finding.Severity.INFO)
                .forEach(f -> lines.add("Finding: " + f));
        return List.copyOf(lines);
    }
}
