package io.datomicgitops.deploy;

import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.configrepo.StackSource;

import io.datomicgitops.configrepo.StackInputs;

import io.datomicgitops.configrepo.StackFolder;

import io.datomicgitops.record.Approval;

import io.datomicgitops.record.DeploymentHistory;
import io.datomicgitops.record.DeploymentRecord;
import io.datomicgitops.record.FailedDeployment;

import io.datomicgitops.record.Publisher;

import io.datomicgitops.findings.Finding;
import io.datomicgitops.findings.Findings;
import io.datomicgitops.lock.HeldLocks;
import io.datomicgitops.lock.LockWait;
import io.datomicgitops.lock.StackLock;

import io.datomicgitops.ExitCode;
import io.datomicgitops.aws.AwsErrors;
import software.amazon.awssdk.core.exception.SdkException;
import io.datomicgitops.ToolException;
import io.datomicgitops.git.GitRepo;
import io.datomicgitops.report.Log;
import io.datomicgitops.report.Report;
import io.datomicgitops.template.TemplateGenerator;

import java.io.UncheckedIOException;
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
                futures.add(pool.submit(() -> planOne(repo, f, new StackSource(repoUrl, repo.lastCommitTouching(f.gitPath(StackFolder.TEMPLATE))),
                        reported, stacks.size() > 1)));
            }
            List<StackPlan> plans = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    plans.add(await(futures.get(i), "plan"));
                } catch (RuntimeException e) {
                    // plan and deploy report the plans as they are; apply stops before deploying anything
                    if (reported) throw e;
                    Map<String, String> names = new LinkedHashMap<>();
                    plans.forEach(p -> names.put(p.inputs().folder().name(), p.inputs().stackName()));
                    throw stopped(stacks, names, List.of(), i, true, e);
                }
            }
            return plans;
        } finally {
            pool.shutdownNow();
        }
    }

    private StackPlan planOne(GitRepo repo, StackFolder folder, StackSource source, boolean reported) {
        return planOne(repo, folder, source, reported, false);
    }

    /** @param fleet one of several stacks planned side by side: what they all read (the region's stacks) is read once */
    private StackPlan planOne(GitRepo repo, StackFolder folder, StackSource source, boolean reported, boolean fleet) {
        Instant start = ctx.clock().instant();
        DeployContext local = local(folder);
        StackPlan plan = new StackPlanner(local, generator, fleet).plan(local.read(folder), source);
        plan = plan.withSettings(settingsChanged(repo, plan));
        Optional<String> lastFailure = DeploymentHistory.lastFailure(repo, folder).map(FailedDeployment::describe);
        if (lastFailure.isPresent()) {
            plan = plan.withSummary(plan.summary().withLastFailure(lastFailure.get()));
            local.log().warn(lastFailure.get());
        }
        report.addPhase(folder.name(), "plan", plan.changes() ? "changes-pending" : "no-changes",
                Duration.between(start, ctx.clock().instant()), plan.summary().oneLine(), reported ? plan : plan.summary());
        if (reported) report.putStack(folder.name(), plan.summary());
        local.log().progress("plan: " + plan.summary().oneLine());
        return plan;
    }

    /**
     * Applies the selected stacks: finishes what a killed run left, refuses local edits, plans them (side by side),
     * then deploys them in order; stops at the first failure. A failure names the stack, and report.json and the
     * lines before the error give every stack's outcome: deployed, nothing to do, failed, or not attempted.
     */
    public List<ApplyResult> apply(GitRepo repo, List<StackFolder> stacks, Approval approval, Publisher publisher, LockWait lockWait) {
        return apply(repo, stacks, approval, publisher, lockWait, Optional.empty());
    }

    /** As above; with a saved plan, refuses before any change a deployment that is not the one the plan approved. */
    public List<ApplyResult> apply(GitRepo repo, List<StackFolder> stacks, Approval approval, Publisher publisher, LockWait lockWait,
                                   Optional<SavedPlan> approved) {
        prepare(repo, stacks, publisher);
        String plannedAt = repo.head();
        List<StackPlan> plans = plan(repo, stacks, PLAN_PARALLEL, false);
        refuseErrors(plans);
        approved.ifPresent(a -> {
            a.check(repo, plans, publisher::isOwn);
            ctx.log().progress("apply: the plan is the one approved at " + a.head().substring(0, 10));
        });
        return deploy(repo, plans, plannedAt, approval, publisher, lockWait);
    }

    /** Applies plans already made (deploy: checkout, plan, apply), without planning again. */
    public List<ApplyResult> applyPlans(GitRepo repo, List<StackPlan> plans, Approval approval, Publisher publisher, LockWait lockWait) {
        refuseErrors(plans);
        String plannedAt = repo.head();
        prepare(repo, plans.stream().map(p -> p.inputs().folder()).toList(), publisher);
        return deploy(repo, plans, plannedAt, approval, publisher, lockWait);
    }

    /** A run of this clone killed while holding a stack's lock left a note of it: release that lock now, by its id. */
    private void releaseLocksLeftByKilledRun(GitRepo repo) {
        HeldLocks held = new HeldLocks(repo.gitDirectory());
        for (HeldLocks.Entry e : held.left()) {
            boolean released = new StackLock(ctx.aws(), e.region(), e.table(), ctx.log(), ctx.clock()).releaseLeft(e.stack(), e.lockId());
            ctx.log().progress("recovered: " + (released ? "released the lock on " + e.stack() + " a killed run held"
                    : "the lock on " + e.stack() + " a killed run held is gone already"));
            held.clear(e.stack());
        }
    }

    /** A stack whose plan has an error finding is not deployed, nor is anything else of the run: fix first. */
    public static void refuseErrors(List<StackPlan> plans) {
        for (StackPlan p : plans) {
            List<Finding> errors = Findings.errors(p.summary().findings());
            if (errors.isEmpty()) continue;
            Finding first = errors.get(0);
            throw new ToolException(ExitCode.INVALID_CONFIG, p.stack() + ": " + errors.size() + " error finding(s), the first: "
                    + first.code() + ": " + first.message(), first.where() == null ? p.stack() : first.where(),
                    "fix them (plan and plan.md list them all), then plan again; nothing was changed");
        }
    }

    private void prepare(GitRepo repo, List<StackFolder> stacks, Publisher publisher) {
        publisher.resume().forEach(line -> ctx.log().progress("recovered: " + line));
        releaseLocksLeftByKilledRun(repo);
        refuseLocalEdits(repo, stacks);
    }

    /**
     * Deploys each stack that has something to do, under its lock, from its plan. Holding the lock, a run that finds
     * another deployment's commits to the stack catches up and plans that stack again: its files changed.
     *
     * @param plannedAt the commit the plans were made on
     */
    private List<ApplyResult> deploy(GitRepo repo, List<StackPlan> plans, String plannedAt, Approval approval, Publisher publisher,
                                     LockWait lockWait) {
        List<StackFolder> stacks = plans.stream().map(p -> p.inputs().folder()).toList();
        Map<String, String> names = new LinkedHashMap<>();
        plans.forEach(p -> names.put(p.inputs().folder().name(), p.inputs().stackName()));
        List<ApplyResult> results = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            try {
                results.add(deployOne(repo, plans.get(i), plannedAt, stacks, approval, publisher, lockWait));
            } catch (RuntimeException e) {
                throw stopped(stacks, names, results, i, false, e);
            }
        }
        return results;
    }

    /**
     * The settings this deployment changes: the properties at the commit the stack was last deployed from (none for a
     * new stack, or when a shallow clone lacks that commit) against the files as the deployment leaves them.
     */
    private static List<SettingChange> settingsChanged(GitRepo repo, StackPlan plan) {
        StackInputs in = plan.inputs();
        Optional<String> deployed = DeploymentRecord.parse(in.recordJson()).map(DeploymentRecord::deployedCommit);
        Map<String, Optional<PropertiesFile>> before = new LinkedHashMap<>();
        Map<String, PropertiesFile> after = new LinkedHashMap<>();
        after.put(StackFolder.TRANSACTOR, withKeys(in.tx(), plan.ensureTransactor().keysWritten()));
        after.put(StackFolder.CF, withKeys(in.cf(), plan.ensureCf().keysWritten()));
        after.put(StackFolder.DEPLOY, in.deploy());
        for (String name : after.keySet()) {
            before.put(name, deployed.flatMap(c -> repo.readAt(c, in.folder().gitPath(name)))
                    .map(text -> PropertiesFile.parse(name, text.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        }
        return SettingChange.between(before, after);
    }

    private static PropertiesFile withKeys(PropertiesFile file, Map<String, String> keys) {
        PropertiesFile copy = StackInputs.copy(file);
        keys.forEach(copy::set);
        return copy;
    }

    /** One stack: left alone when its plan has nothing to do, else deployed under its lock. */
    private ApplyResult deployOne(GitRepo repo, StackPlan planned, String plannedAt, List<StackFolder> stacks, Approval approval,
                                  Publisher publisher, LockWait lockWait) {
        StackInputs in = planned.inputs();
        StackFolder folder = in.folder();
        DeployContext local = local(folder);
        if (!planned.changes()) return nothingToDo(folder, in, local.log(), "apply: nothing to do");
        StackLock lock = new StackLock(ctx.aws(), in.region(), in.settings().lockTable(), local.log(), ctx.clock())
                .forFolder(folder.name(), repo.directory());
        Instant start = ctx.clock().instant();
        HeldLocks held = new HeldLocks(repo.gitDirectory());
        StackLock.Lease lease = lock.acquire(in.stackName(), who(), where(approval, repo), in.settings().lockLease(), lockWait);
        held.record(new HeldLocks.Entry(in.stackName(), in.region(), in.settings().lockTable(), lease.holder().lockId()));
        try {
            return deployLocked(repo, planned, plannedAt, stacks, approval, publisher, local, start);
        } finally {
            lease.close();
            // a release that failed (throttled, the network down) keeps the note: the next run here releases the lock
            if (lease.released()) held.clear(in.stackName());
        }
    }

    /**
     * Holding the stack's lock: catch up with another deployment of it, then apply the plan. Before acting, every
     * commit to the stack's files since the plan must be the tool's own: one the run caught up with now, or one an
     * earlier stack's push rebased this run's commits onto. Anyone else's is a change nobody approved here: stop.
     * The tool's own ones (another deployment of this stack) changed the files: plan again.
     */
    private ApplyResult deployLocked(GitRepo repo, StackPlan planned, String plannedAt, List<StackFolder> stacks, Approval approval,
                                     Publisher publisher, DeployContext local, Instant start) {
        StackInputs in = planned.inputs();
        StackFolder folder = in.folder();
        StackPlan plan = planned;
        catchUp(repo, folder, stacks, publisher, local.log());
        List<GitRepo.LocalCommit> since = repo.commitsBetween(plannedAt, repo.head()).stream().filter(c -> c.touches(folder.relativeDir())).toList();
        List<String> theirs = since.stream().filter(c -> !publisher.isOwn(c)).map(GitRepo.LocalCommit::describe).toList();
        if (!theirs.isEmpty()) {
            throw new ToolException(ExitCode.GIT, "stack files changed on the remote since this run's plan: " + String.join(", ", theirs)
                    + "; stopped before deploying " + folder.name(), repo.directory().toString(),
                    "check out again, then plan and approve that change before applying it");
        }
        if (!since.isEmpty()) {
            // another deployment of this stack pushed while this one planned or waited for the lock: plan again
            plan = planOne(repo, folder, StackSource.of(repo, folder), false);
            if (!plan.changes()) return nothingToDo(folder, in, local.log(), "apply: nothing to do; the other deployment did it");
        }
        ApplyResult r = new StackApplier(local, generator, publisher).apply(plan, approval);
        report.addPhase(folder.name(), "apply", ApplyResult.Outcome.DEPLOYED.label(), Duration.between(start, ctx.clock().instant()),
                "deployed " + in.stackName(), r);
        report.putStack(folder.name(), summary(r));
        return r;
    }

    /**
     * The run stops at stack {@code failed} (while deploying it, or while planning, before any stack was deployed):
     * report.json gets every stack's outcome (those done as they are, this one failed with its error, the others not
     * attempted), and the error names the stack, after a line per stack.
     */
    private ToolException stopped(List<StackFolder> stacks, Map<String, String> stackNames, List<ApplyResult> done, int failed,
                                  boolean planning, RuntimeException e) {
        ToolException cause = toolException(e);
        StackFolder folder = stacks.get(failed);
        List<String> lines = new ArrayList<>();
        done.forEach(r -> lines.add(r.line()));
        String reason = planning ? "the plan of " + folder.name() + " failed" : folder.name() + " failed before it";
        for (StackFolder earlier : stacks.subList(done.size(), failed)) lines.add(notAttempted(earlier, stackNames, reason));
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", cause.what());
        error.put("where", cause.where());
        error.put("todo", cause.todo());
        error.put("exitCode", cause.exitCode().code);
        Map<String, Object> entry = outcome(stackNames.get(folder.name()), ApplyResult.Outcome.FAILED);
        entry.put("error", error);
        report.putStack(folder.name(), entry);
        String what = cause.what() == null ? "" : cause.what().lines().findFirst().orElse("");
        lines.add(folder.name() + ": " + (planning ? "plan failed: " : "failed: ") + what);
        for (StackFolder later : stacks.subList(failed + 1, stacks.size())) lines.add(notAttempted(later, stackNames, reason));
        return new ToolException(cause.exitCode(), cause.what(), where(folder, cause.where()), cause.todo(), e).withContext(lines);
    }

    /** Reports a stack the run left alone because another failed; returns its console line. */
    private String notAttempted(StackFolder folder, Map<String, String> stackNames, String reason) {
        Map<String, Object> skipped = outcome(stackNames.get(folder.name()), ApplyResult.Outcome.NOT_ATTEMPTED);
        skipped.put("reason", reason);
        report.putStack(folder.name(), skipped);
        return folder.name() + ": not attempted (" + reason + ")";
    }

    /** Any failure as the operator's error: AWS and file errors as the CLI words them, anything else as unexpected. */
    private ToolException toolException(RuntimeException e) {
        if (e instanceof ToolException t) return t;
        if (e instanceof SdkException sdk) return AwsErrors.translate(sdk, ctx.aws().counter());
        if (e instanceof UncheckedIOException io) {
            return new ToolException(ExitCode.FAILED, io.getMessage(), "file system", "check the path, its permissions and the disk's free space, then run again", io);
        }
        return new ToolException(ExitCode.FAILED, "unexpected error: " + e, "apply",
                "re-run with the same arguments; if it persists, report it with the report file", e);
    }

    /** Where a stack's failure happened, led by its folder unless it already names it (a file in the folder). */
    private static String where(StackFolder folder, String where) {
        String dir = folder.relativeDir();
        if (where == null || where.isBlank()) return dir;
        if (where.equals(dir) || where.endsWith("/" + dir) || where.contains(dir + "/")) return where;
        return dir + ": " + where;
    }

    private static Map<String, Object> outcome(String stackName, ApplyResult.Outcome outcome) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (stackName != null) m.put("stackName", stackName);
        m.put("outcome", outcome.label());
        m.put("status", outcome.label());
        return m;
    }

    private DeployContext local(StackFolder folder) {
        return ctx.withLog(new PrefixedLog(ctx.log(), "[" + folder.name() + "] "));
    }

    private ApplyResult nothingToDo(StackFolder folder, StackInputs in, Log log, String line) {
        log.progress(line);
        report.putStack(folder.name(), outcome(in.stackName(), ApplyResult.Outcome.NOTHING_TO_DO));
        return ApplyResult.nothingToDo(folder.name());
    }

    private static Map<String, Object> summary(ApplyResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        DeploymentRecord rec = r.record();
        m.put("stackName", rec.stackName());
        m.put("outcome", ApplyResult.Outcome.DEPLOYED.label());
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
     * the files of the stacks this run applies. Anyone else's change to them stops the run: it is not what was planned
     * and approved.
     */
    private static void catchUp(GitRepo repo, StackFolder folder, List<StackFolder> stacks, Publisher publisher, Log log) {
        List<GitRepo.Incoming> incoming = repo.fetchIncoming();
        List<String> theirs = incoming.stream().filter(c -> !publisher.isOwn(c.commit()) && stacks.stream().anyMatch(s -> c.touches(s.relativeDir())))
                .map(GitRepo.Incoming::describe).toList();
        if (!theirs.isEmpty()) {
            throw new ToolException(ExitCode.GIT, "stack files changed on the remote since this run's checkout: " + String.join(", ", theirs),
                    repo.directory().toString(), "check out again, then plan and approve that change before applying it");
        }
        List<GitRepo.Incoming> touching = incoming.stream().filter(c -> c.touches(folder.relativeDir())).toList();
        if (incoming.isEmpty()) return;
        repo.fastForward();
        log.progress("git: caught up with " + incoming.size() + " commit(s) on the remote" + (touching.isEmpty() ? ""
                : ", " + touching.size() + " of them by another deployment of this stack"));
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

    /** A task's result, its exception as thrown; an interrupted wait is the command's failure. */
    public static <T> T await(Future<T> f, String command) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException(ExitCode.FAILED, "interrupted", command, "run again");
        }
    }
}
