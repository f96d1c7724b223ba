package io.datomicgitops.deploy;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.config.AtomicFiles;
import io.datomicgitops.ensure.EnsureResult;
import io.datomicgitops.ensure.ResourceChange;
import io.datomicgitops.git.GitRepo;
import io.datomicgitops.report.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A plan saved for apply ({@code plan --out FILE}, {@code apply --plan FILE}), like Terraform's plan file: the commit it
 * was made on and, per stack, what a deployment would do — the stack and region, the AWS resources and their actions,
 * the keys written, the template, the stack's changes, the instances replaced. Apply plans again and refuses, before
 * any mutating call, when what it would do is not what was approved.
 *
 * <p>A role name Datomic's scheme generates at apply ({@code datomic-aws-transactor}, {@code -1}, ...) is saved as
 * generated: the first free name depends on which stack of the run creates its role first, not on the config.
 *
 * @param head   the commit the plan was made on
 * @param stacks each planned stack folder's fingerprint
 */
@JsonPropertyOrder({"schemaVersion", "head", "stacks"})
public record SavedPlan(int schemaVersion, String head, Map<String, StackFingerprint> stacks) {
    static final int SCHEMA = 1;

    /** What a deployment of one stack would do, as an approver saw it. */
    @JsonPropertyOrder({"stackName", "region", "changes", "resources", "keysToWrite", "templateSha256", "stackChanges",
            "instancesToReplace", "strategy"})
    public record StackFingerprint(String stackName, String region, boolean changes, List<String> resources, List<String> keysToWrite,
                                   String templateSha256, List<String> stackChanges, List<String> instancesToReplace, String strategy) {

        static StackFingerprint of(StackPlan plan) {
            Map<String, String> generated = plan.generatedRoleNames();
            List<String> resources = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (EnsureResult r : List.of(plan.ensureTransactor(), plan.ensureCf())) {
                for (ResourceChange c : r.resources()) {
                    resources.add(c.action().label() + " " + c.kind().label() + " " + normalized(c.name(), generated));
                }
                r.keysWritten().forEach((k, v) -> keys.add(r.file() + ": " + k + "=" + normalized(v, generated)));
            }
            List<String> stackChanges = plan.stackPreview() == null ? List.of() : plan.stackPreview().changes().stream()
                    .map(c -> c.action() + " " + c.logicalId() + " " + c.resourceType()).toList();
            List<String> instances = plan.instances() == null ? List.of() : plan.instances().toReplace();
            PlanSummary s = plan.summary();
            return new StackFingerprint(s.stackName(), s.region(), s.changes(), resources, keys,
                    sha256(normalized(plan.template(), generated)), stackChanges, instances, s.strategy());
        }

        /** What differs from the approved fingerprint, a line each; empty when the deployment is the one approved. */
        List<String> differences(StackFingerprint now) {
            List<String> out = new ArrayList<>();
            differ(out, "stack", stackName, now.stackName);
            differ(out, "region", region, now.region);
            differ(out, "changes", changes, now.changes);
            differ(out, "AWS resources", resources, now.resources);
            differ(out, "keys written", keysToWrite, now.keysToWrite);
            differ(out, "template", templateSha256, now.templateSha256);
            differ(out, "stack changes", stackChanges, now.stackChanges);
            differ(out, "instances to replace", instancesToReplace, now.instancesToReplace);
            differ(out, "strategy", strategy, now.strategy);
            return out;
        }

        private static void differ(List<String> out, String what, Object approved, Object now) {
            if (!Objects.equals(approved, now)) out.add(what + ": approved " + approved + ", now " + now);
        }
    }

    public static SavedPlan of(String head, List<StackPlan> plans) {
        Map<String, StackFingerprint> stacks = new LinkedHashMap<>();
        for (StackPlan p : plans) stacks.put(p.stack(), StackFingerprint.of(p));
        return new SavedPlan(SCHEMA, head, stacks);
    }

    public void write(Path file) {
        AtomicFiles.write(file, Json.write(this) + "\n");
    }

    public static SavedPlan read(Path file) {
        try {
            SavedPlan p = Json.mapper().readValue(Files.readString(file), SavedPlan.class);
            if (p.schemaVersion() != SCHEMA || p.head() == null || p.stacks() == null) throw new IOException("not a saved plan of this version");
            return p;
        } catch (IOException e) {
            throw new ToolException(ExitCode.USAGE, "cannot read the saved plan: " + e.getMessage(), file.toString(),
                    "pass the file `datomic-gitops plan --out FILE` wrote");
        }
    }

    /**
     * Refuses, before anything is changed, a deployment that is not the one approved: other stacks, or any stack's
     * fingerprint differing. When the clone moved on from the plan's commit, the commits since must all be the tool's
     * own (an apply of this plan that stopped half-way is being finished): then the files differ only by the names it
     * wrote, and what was approved is what is being finished.
     *
     * @param toolsOwn recognises the tool's own commits
     */
    public void check(GitRepo repo, List<StackPlan> plans, Predicate<GitRepo.LocalCommit> toolsOwn) {
        String where = "apply --plan";
        List<String> planned = plans.stream().filter(StackPlan::changes).map(StackPlan::stack).toList();
        List<String> approved = stacks.entrySet().stream().filter(e -> e.getValue().changes()).map(Map.Entry::getKey).toList();
        if (!repo.head().equals(head)) {
            if (!repo.contains(head)) {
                throw refused("the plan was approved at " + abbreviate(head) + ", a commit this clone does not have (the clone is at "
                        + abbreviate(repo.head()) + ")", where);
            }
            List<String> foreign = repo.commitsBetween(head, repo.head()).stream().filter(toolsOwn.negate())
                    .map(GitRepo.LocalCommit::describe).toList();
            if (!foreign.isEmpty()) {
                throw refused("the clone is at " + abbreviate(repo.head()) + ", the plan was approved at " + abbreviate(head)
                        + ", and " + String.join(", ", foreign) + " came in between", where);
            }
            List<String> unapproved = planned.stream().filter(s -> !stacks.containsKey(s)).toList();
            if (!unapproved.isEmpty()) throw refused("stack(s) " + unapproved + " are not in the approved plan", where);
            return;
        }
        List<String> differences = new ArrayList<>();
        for (String s : planned) if (!stacks.containsKey(s)) differences.add(s + ": not in the approved plan");
        for (String s : approved) {
            if (plans.stream().noneMatch(p -> p.stack().equals(s))) differences.add(s + ": approved, but not selected by this apply");
        }
        for (StackPlan p : plans) {
            StackFingerprint was = stacks.get(p.stack());
            if (was == null) continue;
            was.differences(StackFingerprint.of(p)).forEach(d -> differences.add(p.stack() + ": " + d));
        }
        if (!differences.isEmpty()) throw refused("what apply would do is not what was approved: " + String.join("; ", differences), where);
    }

    private static ToolException refused(String what, String where) {
        return new ToolException(ExitCode.PLAN_CHANGED, what, where,
                "nothing was changed; plan again (datomic-gitops plan --out FILE), have the new plan approved, then apply it");
    }

    private static String normalized(String text, Map<String, String> generated) {
        if (text == null) return null;
        String out = text;
        // longest first: datomic-aws-transactor-1 before datomic-aws-transactor
        List<String> names = new ArrayList<>(generated.keySet());
        names.sort((a, b) -> b.length() - a.length());
        for (String name : names) out = out.replaceAll(Pattern.quote(name) + "(?![-\\w])", java.util.regex.Matcher.quoteReplacement(generated.get(name)));
        return out;
    }

    private static String sha256(String text) {
        if (text == null) return null;
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String id) {
        return id.substring(0, Math.min(10, id.length()));
    }
}
