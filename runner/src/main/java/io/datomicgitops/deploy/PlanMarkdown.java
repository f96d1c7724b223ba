package io.datomicgitops.deploy;

import io.datomicgitops.ensure.EnsureResult;
import io.datomicgitops.ensure.ResourceChange;
import io.datomicgitops.instances.ReplacementPlan;
import io.datomicgitops.stack.ChangeSetMarkdown;

import java.util.List;
import java.util.stream.Collectors;

/** plan.md: what a reviewer reads before approving — per stack, the AWS resources, keys, template diff, change set, instances. */
public final class PlanMarkdown {
    private static final int MAX_DIFF_LINES = 400;

    private PlanMarkdown() {}

    public static String render(List<StackPlan> plans, String commit) {
        long changed = plans.stream().filter(StackPlan::changes).count();
        StringBuilder md = new StringBuilder("# datomic-gitops plan\n\n");
        md.append("Config commit `").append(commit == null ? "(none)" : commit.substring(0, Math.min(10, commit.length())))
                .append("`: ").append(plans.size()).append(" stack(s) planned, ").append(changed).append(" with changes.\n\n");
        if (plans.isEmpty()) md.append("No stack folder was selected (nothing under stacks/ changed).\n");
        for (StackPlan p : plans) section(md, p);
        return md.toString();
    }

    private static void section(StringBuilder md, StackPlan p) {
        PlanSummary s = p.summary();
        md.append("## ").append(p.stack()).append(": stack `").append(s.stackName()).append("` in ").append(s.region())
                .append(s.changes() ? " — changes pending" : " — no changes").append("\n\n");
        md.append("**Summary:** ").append(s.oneLine()).append(".\n\n");
        if (!s.drift().isEmpty()) {
            md.append("**Drift:**\n\n");
            s.drift().forEach(d -> md.append("- ").append(d).append('\n'));
            md.append('\n');
        }
        md.append("### AWS resources (ensure)\n\n");
        ensure(md, p.ensureTransactor());
        ensure(md, p.ensureCf());
        md.append("### Template `cf.json`\n\n");
        if (p.templateDiff().isEmpty()) {
            md.append("Unchanged.\n\n");
        } else {
            List<String> lines = p.templateDiff().lines().toList();
            md.append("```diff\n");
            lines.stream().limit(MAX_DIFF_LINES).forEach(l -> md.append(l).append('\n'));
            if (lines.size() > MAX_DIFF_LINES) md.append("... ").append(lines.size() - MAX_DIFF_LINES).append(" more lines\n");
            md.append("```\n\n");
        }
        md.append(ChangeSetMarkdown.render(p.stackPreview()).replaceFirst("^### ", "### CloudFormation: "));
        md.append("### Instances (").append(s.strategy()).append(")\n\n");
        ReplacementPlan r = p.instances();
        if (r == null) {
            md.append("The stack does not exist yet: its instances will be launched, none replaced.\n\n");
        } else {
            md.append("Group `").append(r.groupName()).append("` (").append(r.capacity()).append("), launching from ")
                    .append(r.launchSource()).append(".\n\n");
            if (!r.instances().isEmpty()) {
                md.append("| Instance | State | Health | Launched from | Action |\n|---|---|---|---|---|\n");
                for (ReplacementPlan.InstanceState i : r.instances()) {
                    md.append("| ").append(i.instanceId()).append(" | ").append(i.lifecycleState()).append(" | ").append(i.health())
                            .append(" | ").append(i.launchedFrom()).append(" | ")
                            .append(r.toReplace().contains(i.instanceId()) ? "**replace** (" + i.reason() + ")" : "keep").append(" |\n");
                }
                md.append('\n');
            }
        }
    }

    private static void ensure(StringBuilder md, EnsureResult e) {
        md.append("`").append(e.file().replaceAll(".*/", "")).append("` (").append(e.phase()).append(", ").append(e.engine())
                .append("): ").append(e.summary()).append(".\n\n");
        List<ResourceChange> shown = e.resources();
        if (!shown.isEmpty()) {
            md.append("| Action | Kind | Name | Differences |\n|---|---|---|---|\n");
            for (ResourceChange r : shown) {
                md.append("| ").append(r.action().changes() ? "**" + r.action().label() + "**" : r.action().label())
                        .append(" | ").append(r.kind().label()).append(" | ").append(r.name())
                        .append(" | ").append(r.differences().stream().map(Object::toString).collect(Collectors.joining("; ")).replace("|", "\\|"))
                        .append(" |\n");
            }
            md.append('\n');
        }
        if (!e.keysWritten().isEmpty()) {
            md.append("Keys to write: ");
            md.append(e.keysWritten().entrySet().stream().map(k -> "`" + k.getKey() + "=" + k.getValue() + "`").collect(Collectors.joining(", ")));
            md.append(".\n\n");
        }
    }
}
