package io.datomicgitops.deploy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.configrepo.StackFolder;
import io.datomicgitops.ensure.EnsureResult;
import io.datomicgitops.ensure.ResourceChange;
import io.datomicgitops.report.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What differs between AWS and git for one stack: the deployed template against the committed cf.json, and every
 * resource the ensure phases manage (missing, a field that differs such as a policy document, a trust policy or a
 * protection, a hand-made ingress rule, a stale policy) as the stack's read-only plan found it.
 *
 * @param stack             the stack folder
 * @param stackName         the CloudFormation stack
 * @param pendingGitChanges git holds changes not deployed yet (deployment.json is not the files' last deployment):
 *                          some differences may be those changes rather than changes made in AWS
 * @param differences       each difference, git's value against AWS's
 */
@JsonPropertyOrder({"stack", "stackName", "drifted", "summary", "pendingGitChanges", "differences"})
public record StackDrift(String stack, String stackName, boolean pendingGitChanges, List<Difference> differences) {

    /** One difference: what (kind and name), which field, what git says, what AWS has. */
    @JsonPropertyOrder({"kind", "name", "field", "git", "aws"})
    public record Difference(String kind, String name, String field, String git, String aws) {
        @Override
        public String toString() {
            return kind + " " + name + " " + field + ": git " + git + ", AWS " + aws;
        }
    }

    public StackDrift {
        differences = List.copyOf(differences);
    }

    @JsonProperty("drifted")
    public boolean drifted() {
        return !differences.isEmpty();
    }

    /** One line: "demo (demo-datomic-transactor): 2 difference(s) between AWS and git: ..." or "... AWS matches git". */
    @JsonProperty("summary")
    public String summary() {
        String head = stack + " (" + stackName + "): ";
        String pending = pendingGitChanges ? " (git also holds changes not deployed yet)" : "";
        if (differences.isEmpty()) return head + "AWS matches git" + pending;
        TreeSet<String> what = new TreeSet<>();
        differences.forEach(d -> what.add(d.kind() + " " + d.name()));
        return head + differences.size() + " difference(s) between AWS and git in " + String.join(", ", what) + pending;
    }

    /**
     * The drift of a stack from its read-only plan and the template AWS runs (GetTemplate, as submitted).
     *
     * @param deployedTemplate empty when the stack does not exist
     */
    public static StackDrift of(StackPlan plan, Optional<String> deployedTemplate) {
        List<Difference> out = new ArrayList<>();
        String stackName = plan.inputs().stackName();
        boolean deployedBefore = plan.inputs().recordJson().isPresent();
        boolean pending = !plan.summary().recordUpToDate();
        // nothing deployed yet, by the tool or anyone: what the files ask for is a deployment waiting, not drift
        if (!deployedBefore && deployedTemplate.isEmpty()) return new StackDrift(plan.stack(), stackName, pending, List.of());
        if (deployedTemplate.isEmpty()) {
            if (deployedBefore) out.add(new Difference("stack", stackName, "status", "deployed (deployment.json)", "does not exist"));
        } else {
            template(stackName, plan.inputs().committedTemplate(), deployedTemplate.get(), out);
        }
        ensure(plan.ensureTransactor(), StackFolder.TRANSACTOR, out);
        ensure(plan.ensureCf(), StackFolder.CF, out);
        return new StackDrift(plan.stack(), stackName, pending, out);
    }

    /** The template's top-level sections and resources that differ, by meaning (JSON), not spelling. */
    static void template(String stackName, Optional<String> committed, String deployed, List<Difference> out) {
        if (committed.isEmpty()) {
            out.add(new Difference("template", stackName, StackFolder.TEMPLATE, "absent", "deployed"));
            return;
        }
        JsonNode git;
        JsonNode aws;
        try {
            git = Json.mapper().readTree(committed.get());
            aws = Json.mapper().readTree(deployed);
        } catch (java.io.IOException e) {
            if (!committed.get().strip().equals(deployed.strip())) {
                out.add(new Difference("template", stackName, "body", StackFolder.TEMPLATE, "another text (not JSON)"));
            }
            return;
        }
        TreeSet<String> sections = new TreeSet<>();
        git.fieldNames().forEachRemaining(sections::add);
        aws.fieldNames().forEachRemaining(sections::add);
        for (String section : sections) {
            if ("Resources".equals(section) && git.path(section).isObject() && aws.path(section).isObject()) {
                TreeSet<String> ids = new TreeSet<>();
                git.path(section).fieldNames().forEachRemaining(ids::add);
                aws.path(section).fieldNames().forEachRemaining(ids::add);
                for (String id : ids) compare(stackName, "Resources." + id, git.path(section).get(id), aws.path(section).get(id), out);
            } else {
                compare(stackName, section, git.get(section), aws.get(section), out);
            }
        }
    }

    private static void compare(String stackName, String field, JsonNode git, JsonNode aws, List<Difference> out) {
        if (git != null && git.equals(aws)) return;
        out.add(new Difference("template", stackName, field, git == null ? "absent" : "as in " + StackFolder.TEMPLATE,
                aws == null ? "absent" : git == null ? "present" : "different"));
    }

    /** What the ensure plan would change is where AWS differs from the file; what it keeps as found is AWS's own. */
    static void ensure(EnsureResult result, String file, List<Difference> out) {
        if (result == null) return;
        for (ResourceChange r : result.resources()) {
            String kind = r.kind().label();
            switch (r.action()) {
                case CREATE -> out.add(new Difference(kind, r.name(), "exists", "yes (" + file + ")", "no"));
                case UPDATE, RECOVERED -> {
                    if (r.differences().isEmpty()) out.add(new Difference(kind, r.name(), r.action().label(), "as planned", r.note()));
                    r.differences().forEach(d -> out.add(new Difference(kind, r.name(), d.field(), d.to(), d.from())));
                }
                case MANUAL_RULE_KEPT -> out.add(new Difference(kind, r.name(), "exists", "no (" + file + " does not ask for it)", "yes"));
                case STALE_POLICY_KEPT -> out.add(new Difference(kind, r.name(), "exists", "no (no longer in " + file + ")", "yes"));
                case UNCHANGED -> { }
            }
        }
        result.keysWritten().forEach((key, value) ->
                out.add(new Difference("key", file + ":" + key, "value", "absent", value)));
    }
}
