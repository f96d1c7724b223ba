package io.datomicgitops.deploy;

import io.datomicgitops.ensure.EnsureResult;
import io.datomicgitops.ensure.ResourceChange;
import io.datomicgitops.findings.Finding;
import io.datomicgitops.guard.GuardMarkdown;
import io.datomicgitops.instances.ReplacementPlan;
import io.datomicgitops.stack.ChangeSetMarkdown;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * plan.md: what a reviewer approves from. Per stack, in the order a person decides: the impact line (what changes,
 * which transactors are replaced in which order, failovers, duration), the findings, the settings that change (from the
 * properties, not the template), the memory budget, then the AWS resources that change, the template diff, the change
 * set and the instances. What does not change is folded; a diff is never cut inside a hunk.
 */
public final class PlanMarkdown {
    /** Diff lines shown before the remaining hunks are left to report.json (whole hunks only). */
    private static final int MAX_DIFF_LINES = 400;

    private PlanMarkdown() {}

    public static String render(List<StackPlan> plans, String commit) {
        long changed = plans.stream().filter(StackPlan::changes).count();
        StringBuilder md = new StringBuilder("# datomic-gitops plan\n\n");
        md.append("Config commit `").append(commit == null ? "(none)" : commit.substring(0, Math.min(10, commit.length())))
                .append("`: ").append(plans.size()).append(" stack(s) planned, ").append(changed).append(" with changes.\n\n");
        if (plans.isEmpty()) md.append("No stack folder was selected (nothing under stacks/ changed).\n");
        if (plans.size() > 1) {
            md.append("| Stack | Impact |\n|---|---|\n");
            plans.forEach(p -> md.append("| ").append(p.stack()).append(" | ").append(cell(p.summary().impact())).append(" |\n"));
            md.append('\n');
        }
        for (StackPlan p : plans) section(md, p);
        return md.toString();
    }

    private static void section(StringBuilder md, StackPlan p) {
        PlanSummary s = p.summary();
        md.append("## ").append(p.stack()).append(": stack `").append(s.stackName()).append("` in ").append(s.region())
                .append(s.changes() ? " — changes pending" : " — no changes").append("\n\n");
        md.append("**Impact:** ").append(s.impact()).append(".\n\n");
        if (s.lastFailure() != null) md.append("**Last apply failed:** ").append(s.lastFailure()).append(".\n\n");
        findings(md, s.findings());
        settings(md, p);
        memory(md, p);
        md.append("### AWS resources (ensure)\n\n");
        ensure(md, p.ensureTransactor(), p.generatedRoleNames());
        ensure(md, p.ensureCf(), p.generatedRoleNames());
        template(md, p);
        md.append(ChangeSetMarkdown.render(p.stackPreview()).replaceFirst("^### ", "### CloudFormation: "));
        instances(md, p);
        md.append(GuardMarkdown.render(p.inputs()));
        md.append("<sub>").append(s.oneLine()).append(".</sub>\n\n");
    }

    private static void findings(StringBuilder md, List<Finding> findings) {
        if (findings.isEmpty()) return;
        md.append("**Findings:**\n\n");
        for (Finding f : findings) {
            String mark = f.acknowledged() ? "acknowledged" : switch (f.severity()) {
                case ERROR -> "**error**";
                case WARNING -> "**warning**";
                case INFO -> "info";
            };
            md.append("- ").append(mark).append(" `").append(f.code()).append("` ").append(f.where() == null ? "" : f.where() + ": ")
                    .append(f.message()).append('\n');
        }
        md.append('\n');
    }

    private static void settings(StringBuilder md, StackPlan p) {
        List<SettingChange> changed = p.settings();
        if (changed.isEmpty()) return;
        boolean fresh = !p.summary().stackExists();
        md.append("### Settings that change\n\n");
        if (fresh) md.append("<details><summary>A new stack: ").append(changed.size()).append(" settings</summary>\n\n");
        md.append("| File | Key | Before | After |\n|---|---|---|---|\n");
        for (SettingChange c : changed) {
            md.append("| ").append(c.file()).append(" | `").append(c.key()).append("` | ").append(value(c.before())).append(" | ")
                    .append(value(c.after())).append(" |\n");
        }
        md.append(fresh ? "\n</details>\n\n" : "\n");
    }

    private static void memory(StringBuilder md, StackPlan p) {
        var tx = io.datomicgitops.configrepo.StackInputs.copy(p.inputs().tx());
        var cf = io.datomicgitops.configrepo.StackInputs.copy(p.inputs().cf());
        p.ensureTransactor().keysWritten().forEach(tx::set);
        p.ensureCf().keysWritten().forEach(cf::set);
        MemoryBudget.of(tx, cf).ifPresent(b -> {
            md.append("### Memory\n\n```text\n");
            b.lines().forEach(l -> md.append(l).append('\n'));
            md.append("```\n\n");
        });
    }

    private static void ensure(StringBuilder md, EnsureResult e, Map<String, String> generated) {
        md.append("`").append(e.file().replaceAll(".*/", "")).append("` (").append(e.phase()).append(", ").append(e.engine())
                .append("): ").append(e.summary()).append(".\n\n");
        List<ResourceChange> changing = e.resources().stream().filter(r -> r.action().changes() || !r.differences().isEmpty()).toList();
        List<ResourceChange> unchanged = e.resources().stream().filter(r -> !changing.contains(r)).toList();
        if (!changing.isEmpty()) resourceTable(md, changing, generated);
        if (!unchanged.isEmpty()) {
            md.append("<details><summary>").append(unchanged.size()).append(" unchanged</summary>\n\n");
            resourceTable(md, unchanged, generated);
            md.append("</details>\n\n");
        }
        if (!e.keysWritten().isEmpty()) {
            md.append("Keys to write: ");
            md.append(e.keysWritten().entrySet().stream().map(k -> "`" + k.getKey() + "=" + k.getValue() + "`"
                    + (generated.containsKey(k.getValue()) ? " (generated at apply: the first free name)" : ""))
                    .collect(Collectors.joining(", ")));
            md.append(".\n\n");
        }
    }

    private static void resourceTable(StringBuilder md, List<ResourceChange> rows, Map<String, String> generated) {
        md.append("| Action | Kind | Name | Differences |\n|---|---|---|---|\n");
        for (ResourceChange r : rows) {
            boolean isGenerated = generated.keySet().stream().anyMatch(g -> r.name().equals(g) || r.name().startsWith(g + "/"));
            md.append("| ").append(r.action().changes() ? "**" + r.action().label() + "**" : r.action().label())
                    .append(" | ").append(r.kind().label()).append(" | ").append(cell(r.name()))
                    .append(isGenerated ? " (generated at apply)" : "")
                    .append(" | ").append(cell(r.differences().stream().map(Object::toString).collect(Collectors.joining("; "))))
                    .append(" |\n");
        }
        md.append('\n');
    }

    private static void template(StringBuilder md, StackPlan p) {
        md.append("### Template `cf.json`\n\n");
        if (p.templateDiff().isEmpty()) {
            md.append("Unchanged.\n\n");
            return;
        }
        List<List<String>> hunks = hunks(p.templateDiff());
        int total = hunks.stream().mapToInt(List::size).sum();
        boolean fresh = !p.summary().stackExists();
        if (fresh) md.append("<details><summary>A new template: ").append(total).append(" lines</summary>\n\n");
        md.append("```diff\n");
        int shown = 0;
        int left = 0;
        for (List<String> hunk : hunks) {
            // whole hunks only: the first always, the rest while they fit
            if (shown > 0 && shown + hunk.size() > MAX_DIFF_LINES) {
                left++;
                continue;
            }
            hunk.forEach(l -> md.append(l).append('\n'));
            shown += hunk.size();
        }
        md.append("```\n\n");
        if (left > 0) md.append(left).append(" more hunk(s) not shown: the whole diff is in report.json (`templateDiff`).\n\n");
        if (fresh) md.append("</details>\n\n");
    }

    /** A unified diff cut into its header (first) and its hunks, each starting at its "@@" line. */
    static List<List<String>> hunks(String unified) {
        List<List<String>> out = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String line : unified.lines().toList()) {
            if (line.startsWith("@@") && !current.isEmpty()) {
                out.add(current);
                current = new ArrayList<>();
            }
            current.add(line);
        }
        if (!current.isEmpty()) out.add(current);
        // the header belongs with the first hunk
        if (out.size() > 1 && !out.get(0).get(0).startsWith("@@")) {
            List<String> first = new ArrayList<>(out.remove(0));
            first.addAll(out.remove(0));
            out.add(0, first);
        }
        return out;
    }

    private static void instances(StringBuilder md, StackPlan p) {
        PlanSummary s = p.summary();
        md.append("### Transactor instances (").append(s.strategy()).append(")\n\n");
        ReplacementPlan r = p.instances();
        if (r == null) {
            md.append("The stack does not exist yet: its instances will be launched, none replaced.\n\n");
            return;
        }
        md.append("Group `").append(r.groupName()).append("` (").append(r.capacity()).append("), launching from ")
                .append(r.launchSource()).append(".\n\n");
        if (!r.instances().isEmpty()) {
            md.append("| Order | Instance | State | Health | Launched from | Action |\n|---|---|---|---|---|---|\n");
            for (ReplacementPlan.InstanceState i : r.instances()) {
                int order = r.toReplace().indexOf(i.instanceId());
                md.append("| ").append(order < 0 ? "" : String.valueOf(order + 1)).append(" | ").append(i.instanceId()).append(" | ")
                        .append(i.lifecycleState()).append(" | ").append(i.health()).append(" | ").append(i.launchedFrom()).append(" | ")
                        .append(order >= 0 ? "**replace** (" + cell(i.reason()) + ")" : "keep").append(" |\n");
            }
            md.append('\n');
        }
    }

    private static String value(String v) {
        return v == null ? "*(not set)*" : v.isEmpty() ? "*(empty)*" : "`" + cell(v) + "`";
    }

    /** Text inside a table cell: a pipe would end the cell. */
    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|");
    }
}
