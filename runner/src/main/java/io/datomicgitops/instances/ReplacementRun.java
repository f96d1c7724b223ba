package io.datomicgitops.instances;

import io.datomicgitops.ExitCode;
import io.datomicgitops.report.Log;
import io.datomicgitops.wait.Deadline;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.Activity;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Instance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One replacement in progress: its request and plan, the group actions, and what has been replaced so far. */
final class ReplacementRun {
    final ReplacementRequest request;
    final ReplacementPlan plan;
    final GroupOps ops;
    final Readiness readiness;
    final Clock clock;
    final Log log;
    final Deadline deadline;
    final List<String> replaced = new ArrayList<>();
    final List<String> launched = new ArrayList<>();
    final List<String> warnings;
    private final GroupReader reader;
    private final AutoScalingClient asg;
    private final Instant start;
    private final Map<String, String> addresses = new HashMap<>();

    /** Ends a strategy early; the strategy restores the capacity, then the run reports. */
    static final class Stop extends RuntimeException {
        final ExitCode code;
        final String todo;

        Stop(ExitCode code, String what, String todo) {
            super(what);
            this.code = code;
            this.todo = todo;
        }

        /** A failed call ends the replacement with its own exit code: a refused one is exit 5, as anywhere else. */
        static Stop failed(RuntimeException e) {
            ExitCode code = e instanceof io.datomicgitops.ToolException t ? t.exitCode()
                    : e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException se
                    && io.datomicgitops.aws.AwsErrors.isAccessDenied(se) ? ExitCode.AWS_ACCESS : ExitCode.FAILED;
            return new Stop(code, "the replacement failed: " + e.getMessage(), "fix the cause and re-run (only old instances are replaced)");
        }
    }

    ReplacementRun(ReplacementRequest request, ReplacementPlan plan, GroupOps ops, Readiness readiness, GroupReader reader,
                   AutoScalingClient asg, Clock clock, Log log, List<String> warnings) {
        this.request = request;
        this.plan = plan;
        this.ops = ops;
        this.readiness = readiness;
        this.reader = reader;
        this.asg = asg;
        this.clock = clock;
        this.log = log;
        this.warnings = warnings;
        this.start = clock.instant();
        this.deadline = Deadline.after(clock, request.timeout());
        plan.instances().forEach(i -> { if (i.privateIp() != null) addresses.put(i.instanceId(), i.privateIp()); });
    }

    /** The health timeout for one new instance, never past the overall deadline. */
    Deadline healthDeadline() {
        Deadline own = Deadline.after(clock, request.healthTimeout());
        return own.at().isBefore(deadline.at()) ? own : deadline;
    }

    static Set<String> ids(AutoScalingGroup g) {
        Set<String> ids = new HashSet<>();
        g.instances().forEach(i -> ids.add(i.instanceId()));
        return ids;
    }

    String addressOf(String instanceId) {
        return addresses.computeIfAbsent(instanceId, id -> reader.ec2(List.of(id)).values().stream()
                .map(software.amazon.awssdk.services.ec2.model.Instance::privateIpAddress).findFirst().orElse(null));
    }

    /** Waits until an instance not in {@code known} is ready; empty on timeout. */
    Optional<String> waitForNewReady(Set<String> known, Deadline until) {
        return ops.poll(until, "a new instance to be ready", g -> {
            List<Instance> inService = GroupOps.inService(g);
            for (Instance i : g.instances()) {
                if (known.contains(i.instanceId())) continue;
                int others = (int) inService.stream().filter(o -> !o.instanceId().equals(i.instanceId())).count();
                if (readiness.ready(i.instanceId(), i.lifecycleStateAsString(), i.healthStatus(), this::addressOf, others)) {
                    ops.note("new instance " + i.instanceId() + " is ready");
                    return Optional.of(i.instanceId());
                }
            }
            return Optional.empty();
        });
    }

    /**
     * The instances launched since {@code known} that did not become ready, each with what it was waiting for, for the
     * timeout message: the operator learns which new transactor failed even after it was removed.
     */
    String notReady(Set<String> known) {
        try {
            List<String> ids = ops.look().instances().stream().map(Instance::instanceId).filter(id -> !known.contains(id)).toList();
            if (ids.isEmpty()) return "";
            return ": " + String.join("; ", ids.stream().map(id -> id + " " + readiness.waitingFor(id).orElse("was not ready")).toList());
        } catch (SdkException e) {
            return "";
        }
    }

    /** Waits until the instance has left the group. */
    boolean waitUntilGone(String instanceId) {
        return ops.poll(deadline, instanceId + " to leave the group",
                g -> GroupOps.present(g, instanceId) ? Optional.empty() : Optional.of(true)).isPresent();
    }

    /** The latest failed scaling activity's message, to say why no instance came up. */
    String lastFailedActivity() {
        try {
            List<Activity> activities = asg.describeScalingActivities(r -> r.autoScalingGroupName(ops.groupName()).maxRecords(10)).activities();
            return activities.stream().filter(a -> "Failed".equals(a.statusCodeAsString()) || "Cancelled".equals(a.statusCodeAsString()))
                    .findFirst().map(a -> "; last failed scaling activity: " + a.statusMessage()).orElse("");
        } catch (SdkException e) {
            return "";
        }
    }

    /**
     * After a roll, every InService instance runs what the group launches now: checked, not assumed (a group left on an
     * older launch template version launches old instances that look new by their ids). Instances the plan left alone
     * on purpose (not among those to replace) are not held against the roll; they were named in the plan.
     */
    void checkEveryInstanceIsCurrent() {
        AutoScalingGroup g = ops.look();
        LaunchSource current = reader.current(g);
        if (current.kind() == LaunchSource.Kind.NONE) return;
        Set<String> leftAlone = new HashSet<>();
        plan.instances().stream().filter(i -> i.old() && !plan.toReplace().contains(i.instanceId())).forEach(i -> leftAlone.add(i.instanceId()));
        List<Instance> inService = GroupOps.inService(g).stream().filter(i -> !leftAlone.contains(i.instanceId())).toList();
        var ec2 = reader.ec2(inService.stream().map(Instance::instanceId).toList());
        List<String> wrong = new ArrayList<>();
        for (Instance i : inService) {
            current.whyOld(GroupReader.launchedFrom(i, Optional.ofNullable(ec2.get(i.instanceId())))).ifPresent(why -> wrong.add(i.instanceId() + " " + why));
        }
        if (!wrong.isEmpty()) {
            throw new Stop(ExitCode.FAILED, "after the replacement, InService instances do not run what the group launches: " + String.join("; ", wrong),
                    "compare the group's launch template version with the stack's (the group may have been changed outside the stack), "
                            + "then re-run replace-instances: it replaces only the instances not on the group's configuration");
        }
        ops.note("checked: all " + inService.size() + " InService instance(s) run " + current);
    }

    Stop timeout(String what) {
        return new Stop(ExitCode.TIMEOUT, what + lastFailedActivity(),
                "look at the group's activity history and the new instance's console output; raise --health-timeout / health-timeout if it is only slow, then re-run (only old instances are replaced)");
    }

    ReplacementResult result(ReplacementOutcome outcome) {
        AutoScalingGroup g;
        try {
            g = ops.look();
        } catch (SdkException e) {
            // AWS is failing: report what is known rather than lose the result
            warnings.add("could not read the group at the end: " + e.getMessage());
            g = null;
        }
        AutoScalingGroup last = g;
        List<String> remaining = plan.toReplace().stream()
                .filter(id -> !replaced.contains(id) && (last == null || GroupOps.present(last, id))).toList();
        return ReplacementResult.builder().groupName(plan.groupName()).strategy(request.strategy().id).outcome(outcome)
                .replaced(List.copyOf(replaced)).launched(List.copyOf(launched)).oldRemaining(remaining)
                .capacityBefore(plan.capacity()).capacityAfter(last == null ? null : GroupReader.capacity(last))
                .zeroInServiceSeconds(ops.meter.zeroInServiceSeconds()).durationMs(Duration.between(start, clock.instant()).toMillis())
                .readiness(readiness.describe()).timeline(List.copyOf(ops.timeline))
                .warnings(java.util.stream.Stream.concat(warnings.stream(), readiness.warnings().stream()).toList())
                .build();
    }

    ReplacementFailedException failed(Stop stop) {
        ReplacementResult r = result(stop.code == ExitCode.TIMEOUT ? ReplacementOutcome.TIMEOUT : ReplacementOutcome.FAILED);
        String state = " (old terminated " + r.replaced() + ", new " + r.launched() + ", old still running " + r.oldRemaining()
                + (r.capacityAfter() == null ? "" : "; capacity now " + r.capacityAfter()) + ")";
        return new ReplacementFailedException(stop.code, stop.getMessage() + state, "group " + plan.groupName(), stop.todo, r);
    }
}
