package io.datomicgitops.deploy;

import io.datomicgitops.configrepo.StackSource;

import io.datomicgitops.configrepo.StackInputs;

import io.datomicgitops.configrepo.StackFolder;

import io.datomicgitops.record.Approval;

import io.datomicgitops.record.DeploymentRecord;

import io.datomicgitops.record.Publisher;

import io.datomicgitops.lock.StackLock;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.git.GitRepo;
import io.datomicgitops.report.Log;
import io.datomicgitops.report.Report;
import io.datomicgitops.template.TemplateGenerator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The GitOps flow over a config repo clone: plan the selected stacks (read-only, side by side), or apply them one
 * after the other, each under its deployment lock, after a read-only plan that skips stacks with nothing to do.
 */
public final class Deployments {
    private final DeployContext ctx;
    private final Report report;
    private final TemplateGenerator generator = new TemplateGenerator();

    public Deployments(DeployContext ctx, Report report) {
        this.ctx = ctx;
        this.report = report;
    }

    /** How many stacks apply plans at once before deploying them one after the other. */
    public static final int PLAN_PARALLEL = 8;

    /** Plans every selected stack, at most {@code parallel} at once; results in the stacks' order. */
    public List<StackPlan> plan(GitRepo repo, List<StackFolder> stacks, int parallel) {
        return plan(repo, stacks, parallel, true);
    }

    /** @param reported the plan is what this command reports (plan, deploy), not a step of apply */
    private List<StackPlan> plan(GitRepo repo, List<StackFolder> stacks, int parallel, boolean reported) {
        if (stacks.isEmpty()) return List.of();
        Optional<String> repoUrl = Optional.ofNullable(repo.remoteUrl());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, stacks.size())));
        try {
            List<Future<StackPlan>> futures = new ArrayList<>();
            for (StackFolder f : stacks) {
                // the history walk for the template's last commit too: in a long history it costs as much as the AWS reads
                futures.add(pool.submit(() -> planOne(f, new StackSource(repoUrl, repo.lastCommitTouching(f.gitPath(StackFolder.TEMPLATE))),
                        reported)));
            }
            List<StackPlan> plans = new ArrayList<>();
            for (Future<StackPlan> fu : futures) plans.add(unwrap(fu));
            return plans;
        } finally {
            pool.shutdownNow();
        }
    }

    private StackPlan planOne(StackFolder folder, StackSource source, boolean reported) {
        Instant start = ctx.clock().instant();
        DeployContext local = local(folder);
        StackPlan plan = new StackPlanner(local, generator).plan(local.read(folder), source);
        report.addPhase(folder.name(), "plan", plan.changes() ? "changes-pending" : "no-changes",
                Duration.between(start, ctx.clock().instant()), plan.summary().oneLine(), reported ? plan : plan.summary());
        if (reported) report.putStack(folder.name(), plan.summary());
        local.log().progress("plan: " + plan.summary().oneLine());
        return plan;
    }

    /**
     * Applies the selected stacks: finishes what a killed run left, refuses local edits, plans them (side by side),
     * then deploys them in order; stops at the first failure (the report says which).
     */
    public List<ApplyResult> apply(GitRepo repo, List<StackFolder> stacks, Approval approval, Publisher publisher, Duration lockWait) {
        prepare(repo, stacks, publisher);
        return deploy(repo, plan(repo, stacks, PLAN_PARALLEL, false), approval, publisher, lockWait);
    }

    /** Applies plans already made (deploy: checkout, plan, apply), without planning again. */
    public List<ApplyResult> applyPlans(GitRepo repo, List<StackPlan> plans, Approval approval, Publisher publisher, Duration lockWait) {
        prepare(repo, plans.stream().map(p -> p.inputs().folder()).toList(), publisher);
        return deploy(repo, plans, approval, publisher, lockWait);
    }

    private void prepare(GitRepo repo, List<StackFolder> stacks, Publisher publisher) {
        publisher.resume().forEach(line -> ctx.log().progress("recovered: " + line));
        refuseLocalEdits(repo, stacks);
    }

    /**
     * Deploys each stack that has something to do, under its lock, from its plan. Holding the lock, a run that finds
     * another deployment's commits to the stack catches up and plans that stack again: its files changed.
     */
    private List<ApplyResult> deploy(GitRepo repo, List<StackPlan> plans, Approval approval, Publisher publisher, Duration lockWait) {
        List<StackFolder> stacks = plans.stream().map(p -> p.inputs().folder()).toList();
        List<ApplyResult> results = new ArrayList<>();
        for (StackPlan planned : plans) {
            StackInputs in = planned.inputs();
            StackFolder folder = in.folder();
            DeployContext local = local(folder);
            if (!planned.changes()) {
                results.add(nothingToDo(folder, in, local.log(), "apply: nothing to do"));
                continue;
            }
            StackLock lock = new StackLock(ctx.aws(), in.region(), in.settings().lockTable(), local.log(), ctx.clock())
                    .forFolder(folder.name(), repo.directory());
            Instant start = ctx.clock().instant();
            try (StackLock.Lease ignored = lock.acquire(in.stackName(), who(), where(approval, repo), in.settings().lockLease(), lockWait)) {
                StackPlan plan = planned;
                if (caughtUp(repo, folder, stacks, local.log())) {
                    // another deployment of this stack pushed while this one planned or waited for the lock: plan again
                    plan = planOne(folder, StackSource.of(repo, folder), false);
                    if (!plan.changes()) {
                        results.add(nothingToDo(folder, in, local.log(), "apply: nothing to do; the other deployment did it"));
                        continue;
                    }
                }
                ApplyResult r = new StackApplier(local, generator, publisher).apply(plan, approval);
                report.addPhase(folder.name(), "apply", ApplyResult.Outcome.DEPLOYED.label(), Duration.between(start, ctx.clock().instant()),
                        "deployed " + in.stackName(), r);
                report.putStack(folder.name(), summary(r));
                results.add(r);
            }
        }
        return results;
    }

    private DeployContext local(StackFolder folder) {
        return ctx.withLog(new PrefixedLog(ctx.log(), "[" + folder.name() + "] "));
    }

    private ApplyResult nothingToDo(StackFolder folder, StackInputs in, Log log, String line) {
        log.progress(line);
        report.putStack(folder.name(), Map.of("stackName", in.stackName(), "status", ApplyResult.Outcome.NOTHING_TO_DO.label()));
        return ApplyResult.nothingToDo(folder.name());
    }

    private static Map<String, Object> summary(ApplyResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        DeploymentRecord rec = r.record();
        m.put("stackName", rec.stackName());
        m.put("status", rec.status());
        m.put("changeSetId", rec.changeSetId());
        m.put("instancesReplaced", rec.instancesReplaced());
        m.put("strategy", rec.strategy());
        m.put("downtimeSeconds", rec.downtimeSeconds());
        m.put("commit", rec.deployedCommit());
        m.put("tag", r.tag());
        return m;
    }

    /**
     * Holding the stack's lock, brings the clone up to the remote when only deployments (the tool's own commits) changed
     * the files of the stacks this run applies; true when that moved this stack's files. Anyone else's change to them
     * stops the run: it is not what was planned and approved.
     */
    private static boolean caughtUp(GitRepo repo, StackFolder folder, List<StackFolder> stacks, Log log) {
        List<GitRepo.Incoming> incoming = repo.fetchIncoming();
        List<String> theirs = incoming.stream().filter(c -> !c.tool() && stacks.stream().anyMatch(s -> c.touches(s.relativeDir())))
                .map(GitRepo.Incoming::describe).toList();
        if (!theirs.isEmpty()) {
            throw new ToolException(ExitCode.GIT, "stack files changed on the remote since this run's checkout: " + String.join(", ", theirs),
                    repo.directory().toString(), "check out again, then plan and approve that change before applying it");
        }
        List<GitRepo.Incoming> touching = incoming.stream().filter(c -> c.touches(folder.relativeDir())).toList();
        if (incoming.isEmpty()) return false;
        repo.fastForward();
        log.progress("git: caught up with " + incoming.size() + " commit(s) on the remote" + (touching.isEmpty() ? ""
                : ", " + touching.size() + " of them by another deployment of this stack"));
        return !touching.isEmpty();
    }

    /** The tool commits whole files: an operator's uncommitted edit in a stack folder would be committed under its name. */
    private static void refuseLocalEdits(GitRepo repo, List<StackFolder> stacks) {
        List<String> dirty = repo.uncommittedChanges().stream()
                .filter(p -> stacks.stream().anyMatch(s -> p.startsWith(s.relativeDir() + "/"))).toList();
        if (!dirty.isEmpty()) {
            throw new ToolException(ExitCode.GIT, "uncommitted changes in the stack folders: " + String.join(", ", dirty),
                    repo.directory().toString(), "commit and push them through a pull request, or remove them; apply deploys only what is in git");
        }
    }

    private static String who() {
        return System.getProperty("user.name", "unknown");
    }

    private static String where(Approval approval, GitRepo repo) {
        return approval.buildUrl() != null ? approval.buildUrl() : repo.directory().toString();
    }

    private static <T> T unwrap(Future<T> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException(ExitCode.FAILED, "interrupted", "plan", "run again");
        }
    }
}
