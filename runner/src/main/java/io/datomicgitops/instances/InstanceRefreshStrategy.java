package io.datomicgitops.instances;

import io.datomicgitops.ExitCode;
import io.datomicgitops.instances.ReplacementRun.Stop;
import io.datomicgitops.wait.Backoff;
import io.datomicgitops.wait.WaitProgress;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.autoscaling.model.RefreshStrategy;

import java.util.Objects;
import java.util.Set;

/**
 * EC2 Auto Scaling instance refresh: launch before terminating (min healthy 100%, max healthy 200%, the max size raised
 * for the duration), skipping instances already on the group's configuration unless all are asked for, and followed to
 * its end. Where the API is not implemented, a clear error names the strategies that work.
 */
final class InstanceRefreshStrategy {
    private static final Set<String> ENDED = Set.of("Successful", "Failed", "Cancelled", "RollbackSuccessful", "RollbackFailed");

    private final AutoScalingClient asg;

    InstanceRefreshStrategy(AutoScalingClient asg) {
        this.asg = asg;
    }

    ReplacementResult run(ReplacementRun run) {
        GroupOps ops = run.ops;
        String group = ops.groupName();
        Capacity before = run.plan.capacity();
        AutoScalingGroup g = ops.look();
        Set<String> initial = ReplacementRun.ids(g);
        if (!run.request.onlyInstances().isEmpty()) {
            run.warnings.add("instance refresh cannot be limited to given instances; it replaces every instance not on the group's configuration");
        }
        coldWarmup(run, g).ifPresent(run.warnings::add);
        boolean maxRaised = false;
        Stop stop = null;
        String refreshId = null;
        try {
            int needed = Math.max(g.desiredCapacity() * 2, g.desiredCapacity() + 1);
            if (g.maxSize() < needed) {
                ops.setMax(needed);
                maxRaised = true;
            }
            refreshId = start(run, group);
            ops.note("instance refresh " + refreshId + " started (min healthy 100%, max healthy 200%"
                    + (run.request.all() ? ", all instances" : ", skipping matching instances") + ")");
            follow(run, group, refreshId);
        } catch (Stop s) {
            stop = s;
        } catch (SdkException | io.datomicgitops.ToolException e) {
            stop = new Stop(ExitCode.FAILED, "the instance refresh failed: " + e.getMessage(), "fix the cause and re-run");
        }
        if (stop != null && stop.code == ExitCode.TIMEOUT && refreshId != null) cancel(run, group);
        AutoScalingGroup after = ops.look();
        run.plan.toReplace().stream().filter(id -> !GroupOps.present(after, id)).forEach(run.replaced::add);
        after.instances().stream().map(i -> i.instanceId()).filter(id -> !initial.contains(id)).forEach(run.launched::add);
        if (maxRaised) restoreMax(run, before);
        if (stop != null) throw run.failed(stop);
        return run.result(ReplacementOutcome.REPLACED);
    }

    /**
     * Instance refresh knows nothing of Datomic: it terminates an old instance once its replacement is InService and
     * warmed up. With no warm-up (none asked for, and the group's default warm-up and grace period 0, as the project's
     * template leaves them) the old active goes while the new transactor is still starting: writes stop for that start.
     */
    static java.util.Optional<String> coldWarmup(ReplacementRun run, AutoScalingGroup g) {
        if (!run.request.warmup().isZero()) return java.util.Optional.empty();
        Integer groupWarmup = g.defaultInstanceWarmup() != null ? g.defaultInstanceWarmup() : g.healthCheckGracePeriod();
        if (groupWarmup != null && groupWarmup > 0) return java.util.Optional.empty();
        return java.util.Optional.of("instance refresh with no warm-up: AWS terminates an old transactor as soon as its replacement is InService, "
                + "before the new transactor is standby, so writes stop while it starts; give a warm-up that covers the start "
                + "(replace-instances --warmup 120s) or use surge, which waits for the standby heartbeat");
    }

    private String start(ReplacementRun run, String group) {
        try {
            return asg.startInstanceRefresh(r -> r.autoScalingGroupName(group).strategy(RefreshStrategy.ROLLING)
                    .preferences(p -> {
                        p.minHealthyPercentage(100).maxHealthyPercentage(200).skipMatching(!run.request.all());
                        if (!run.request.warmup().isZero()) p.instanceWarmup((int) run.request.warmup().toSeconds());
                    })).instanceRefreshId();
        } catch (AwsServiceException e) {
            if (e.statusCode() >= 500) {
                throw new Stop(ExitCode.FAILED, "instance refresh is not available here: StartInstanceRefresh answered HTTP "
                        + e.statusCode(), "set replace-strategy=surge (the default) or terminate in deploy.properties (replace-instances: --strategy surge), "
                                + "which work on any EC2 Auto Scaling API");
            }
            throw e;
        }
    }

    private void follow(ReplacementRun run, String group, String refreshId) {
        Backoff backoff = Backoff.forInstances();
        WaitProgress progress = new WaitProgress(run.log, run.deadline);
        String lastSaid = null;
        while (true) {
            InstanceRefresh r = asg.describeInstanceRefreshes(q -> q.autoScalingGroupName(group).instanceRefreshIds(refreshId))
                    .instanceRefreshes().stream().findFirst()
                    .orElseThrow(() -> new Stop(ExitCode.FAILED, "instance refresh " + refreshId + " is not listed", "look at the group in the console"));
            run.ops.look();
            String status = r.statusAsString();
            String said = status + " " + r.percentageComplete() + "%" + (r.statusReason() == null ? "" : ": " + r.statusReason());
            if (!Objects.equals(said, lastSaid)) {
                run.ops.note("instance refresh " + said + (r.instancesToUpdate() == null ? "" : " (" + r.instancesToUpdate() + " to update)"));
                progress.said();
                lastSaid = said;
            }
            if (ENDED.contains(status)) {
                if (status.equals("Successful")) return;
                throw new Stop(ExitCode.FAILED, "the instance refresh ended " + status
                        + (r.statusReason() == null ? "" : ": " + r.statusReason()), "read the reason; fix it and re-run");
            }
            if (run.deadline.passed()) {
                throw new Stop(ExitCode.TIMEOUT, "the instance refresh is still " + status + " after "
                        + run.request.timeout().toSeconds() + "s (cancelled)", "raise --timeout / replace-timeout, then re-run");
            }
            java.time.Duration next = backoff.next(run.deadline.remaining());
            progress.beforeQuietSleep("group " + group + ": instance refresh " + said + ", waiting", next);
            run.ops.sleep(next);
        }
    }

    private void cancel(ReplacementRun run, String group) {
        try {
            asg.cancelInstanceRefresh(r -> r.autoScalingGroupName(group));
            run.ops.note("instance refresh cancelled");
        } catch (SdkException e) {
            run.warnings.add("could not cancel the instance refresh: " + e.getMessage());
        }
    }

    private void restoreMax(ReplacementRun run, Capacity before) {
        try {
            AutoScalingGroup g = run.ops.look();
            if (g.desiredCapacity() <= before.max()) run.ops.setMax(before.max());
            else run.warnings.add("max size left at " + g.maxSize() + ": desired capacity is " + g.desiredCapacity());
        } catch (SdkException e) {
            run.warnings.add("could not restore the max size: " + e.getMessage());
        }
    }
}
