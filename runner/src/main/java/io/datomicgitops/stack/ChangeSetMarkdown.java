package io.datomicgitops.stack;

import io.datomicgitops.stack.StackPreview.ChangeDetail;
import io.datomicgitops.stack.StackPreview.ParameterValue;
import io.datomicgitops.stack.StackPreview.ResourceChange;

import java.util.ArrayList;
import java.util.List;

/** Renders a {@link StackPreview} as Markdown for people: the plan comment, plan.md, the Jenkins log. */
public final class ChangeSetMarkdown {
    private ChangeSetMarkdown() {}

    public static String render(StackPreview p) {
        StringBuilder md = new StringBuilder();
        md.append("### Stack `").append(p.stackName()).append("`: ").append(headline(p)).append("\n\n");
        if (p.changeSetName() != null) {
            md.append("Change set `").append(p.changeSetName()).append("` (").append(p.changeSetType()).append(")");
        } else {
            md.append("Preview from the template (no change set: the stack does not exist yet)");
        }
        if (p.templateUrl() != null) md.append(", template from S3 (").append(p.templateBytes()).append(" bytes)");
        md.append(".\n\n");
        if (!p.changes().isEmpty()) {
            md.append("| Action | Logical ID | Type | Replacement | Scope | Details |\n");
            md.append("|---|---|---|---|---|---|\n");
            for (ResourceChange c : p.changes()) {
                md.append("| ").append(cell(c.action()))
                        .append(" | ").append(cell(c.logicalId()))
                        .append(" | ").append(cell(c.resourceType()))
                        .append(" | ").append(replacement(c))
                        .append(" | ").append(cell(String.join(", ", c.scope())))
                        .append(" | ").append(cell(details(c.details())))
                        .append(" |\n");
            }
            md.append('\n');
        }
        List<String> changed = new ArrayList<>();
        for (ParameterValue v : p.parameters()) {
            if (v.changed()) changed.add("`" + v.key() + "`: `" + v.previous() + "` → `" + v.value() + "`");
        }
        if (!changed.isEmpty()) md.append("Parameters changed: ").append(String.join("; ", changed)).append(".\n\n");
        List<String> secret = p.parameters().stream().filter(ParameterValue::noEcho).map(ParameterValue::key).toList();
        if (!secret.isEmpty()) {
            md.append("NoEcho parameters (values never shown): ").append(String.join(", ", secret)).append(".\n\n");
        }
        if (!p.capabilities().isEmpty()) md.append("Capabilities: ").append(String.join(", ", p.capabilities())).append(".\n\n");
        return md.toString();
    }

    private static String headline(StackPreview p) {
        return switch (p.status()) {
            case StackPreview.NO_CHANGES -> "no changes";
            case StackPreview.NEW_STACK -> "new stack, " + p.changes().size() + " resource(s) to create";
            default -> {
                long replaced = p.changes().stream().filter(c -> "True".equals(c.replacement())).count();
                long maybe = p.changes().stream().filter(c -> "Conditional".equals(c.replacement())).count();
                yield p.changes().size() + " resource change(s)"
                        + (replaced > 0 ? ", " + replaced + " replaced" : "")
                        + (maybe > 0 ? ", " + maybe + " maybe replaced" : "");
            }
        };
    }

    private static String replacement(ResourceChange c) {
        if (c.replacement() == null) return "";
        return "True".equals(c.replacement()) ? "**True**" : cell(c.replacement());
    }

    private static String details(List<ChangeDetail> details) {
        List<String> parts = new ArrayList<>();
        for (ChangeDetail d : details) {
            StringBuilder s = new StringBuilder();
            s.append(d.attribute() == null ? "" : d.attribute());
            if (d.name() != null) s.append(s.length() > 0 ? "." : "").append(d.name());
            List<String> how = new ArrayList<>();
            if (d.requiresRecreation() != null) how.add("recreation " + d.requiresRecreation());
            if (d.evaluation() != null) how.add(d.evaluation());
            if (d.changeSource() != null) how.add(d.changeSource() + (d.causingEntity() == null ? "" : " " + d.causingEntity()));
            if (!how.isEmpty()) s.append(" (").append(String.join(", ", how)).append(')');
            parts.add(s.toString());
        }
        return String.join("; ", parts);
    }

    /** Table cells cannot hold pipes or line breaks. */
    private static String cell(String s) {
        if (s == null) return "";
        return s.replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }
}
