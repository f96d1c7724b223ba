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

    /** Plans every selected stack, at most {@code parallel} at once; results in the stacks' order. */
    public List<StackPlan> plan(GitRepo repo, List<StackFolder> stacks, int parallel) {
        StackSource sourceBase = new StackSource(Optional.ofNullable(repo.remoteUrl()), Optional.empty());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, stacks.size())));
        try {
            List<Future<StackPlan>> futures = new ArrayList<>();
            for (StackFolder f : stacks) {
                // the history walk for the template's last commit too: in a long history it costs as much as the AWS reads
                futures.add(pool.submit(() -> planOne(f, new StackSource(sourceBase.repoUrl(),
                        repo.lastCommitTouching(f.gitPath(StackFolder.TEMPLATE))))));
            }
            List<StackPlan> plans = new ArrayList<>();
            for (Future<StackPlan> fu : futures) plans.add(unwrap(fu));
            return plans;
        } finally {
            pool.shutdownNow();
        }
    }

    private StackPlan planOne(StackFolder folder, StackSource source) {
        Instant start = ctx.clock().instant();
        DeployContext local = ctx.withLog(new PrefixedLog(ctx.log(), "[" + folder.name() + "] "));
        StackInputs in = StackInputs.read(folder, ctx.regionOverride(), local.log());
        StackPlan plan = new StackPlanner(local, generator).plan(in, source);
        report.addPhase(folder.name(), "plan", plan.changes() ? "changes-pending" : "no-changes",
                Duration.between(start, ctx.clock().instant()), plan.summary().oneLine(), plan);
        report.putStack(folder.name(), plan.summary());
        local.log().progress("plan: " + plan.summary().oneLine());
        return plan;
    }

    /** Applies the selected stacks in order; stops at the first failure (the report says which). */
    public List<ApplyResult> apply(GitRepo repo, List<StackFolder> stacks, Approval approval, Publisher publisher, Duration lockWait) {
        publisher.resume().forEach(line -> ctx.log().progress("recovered: " + line));
        refuseLocalEdits(repo, stacks);
        List<ApplyResult> results = new ArrayList<>();
        for (StackFolder folder : stacks) {
            DeployContext local = ctx.withLog(new PrefixedLog(ctx.log(), "[" + folder.name() + "] "));
            StackInputs in = StackInputs.read(folder, ctx.regionOverride(), local.log());
            Instant planned = ctx.clock().instant();
            StackPlan plan = new StackPlanner(local, generator).plan(in, StackSource.of(repo, folder));
            report.addPhase(folder.name(), "plan", plan.changes() ? "changes-pending" : "no-changes",
                    Duration.between(planned, ctx.clock().instant()), plan.summary().oneLine(), plan.summary());
            if (!plan.changes()) {
                results.add(nothingToDo(folder, in, local.log(), "apply: nothing to do"));
                continue;
            }
            StackLock lock = new StackLock(ctx.aws(), in.region(), in.settings().lockTable(), local.log(), ctx.clock());
            Instant start = ctx.clock().instant();
            try (StackLock.Lease ignored = lock.acquire(in.settings().stackName(), who(), where(approval, repo), in.settings().lockLease(), lockWait)) {
                if (caughtUp(repo, folder, stacks, local.log())) {
                    // another deployment of this stack pushed while this one planned or waited for the lock: plan again
                    StackPlan fresh = new StackPlanner(local, generator).plan(StackInputs.read(folder, ctx.regionOverride(), local.log()),
                            StackSource.of(repo, folder));
                    local.log().progress("plan: " + fresh.summary().oneLine());
                    if (!fresh.changes()) {
                        results.add(nothingToDo(folder, in, local.log(), "apply: nothing to do; the other deployment did it"));
                        continue;
                    }
                }
                ApplyResult r = new StackApplier(local, generator, publisher).apply(StackInputs.read(folder, ctx.regionOverride(), local.log()), approval);
                report.addPhase(folder.name(), "apply", "deployed", Duration.between(start, ctx.clock().instant()),
                        "deployed " + in.settings().stackName(), r);
                report.putStack(folder.name(), summary(r));
                results.add(r);
            }
        }
        return results;
    }

    private ApplyResult nothingToDo(StackFolder folder, StackInputs in, Log log, String line) {
        log.progress(line);
        report.putStack(folder.name(), Map.of("stackName", in.settings().stackName(), "status", "nothing-to-do"));
        return new ApplyResult(folder.name(), "nothing-to-do", null, null, null, null, null, null, null);
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
