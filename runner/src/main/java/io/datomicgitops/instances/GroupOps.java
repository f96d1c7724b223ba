package io.datomicgitops.instances;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.instances.ReplacementResult.TimelineEntry;
import io.datomicgitops.report.Log;
import io.datomicgitops.wait.Backoff;
import io.datomicgitops.wait.Deadline;
import io.datomicgitops.wait.Sleeper;
import io.datomicgitops.wait.WaitProgress;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingException;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Instance;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The group actions a replacement takes, each written to the timeline, and a poll loop that feeds every look at the
 * group to the downtime meter.
 */
final class GroupOps {
    static final String AZ_REBALANCE = "AZRebalance";

    private final AutoScalingClient asg;
    private final GroupReader reader;
    private final String groupName;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Log log;
    final DowntimeMeter meter;
    final List<TimelineEntry> timeline = new ArrayList<>();

    GroupOps(AutoScalingClient asg, GroupReader reader, String groupName, Clock clock, Sleeper sleeper, Log log) {
        this.asg = asg;
        this.reader = reader;
        this.groupName = groupName;
        this.clock = clock;
        this.sleeper = sleeper;
        this.log = log;
        this.meter = new DowntimeMeter(clock);
    }

    String groupName() {
        return groupName;
    }

    /** The group now; counted by the downtime meter. */
    AutoScalingGroup look() {
        AutoScalingGroup g = reader.group(groupName);
        meter.observe(inService(g).size());
        return g;
    }

    static List<Instance> inService(AutoScalingGroup g) {
        return g.instances().stream().filter(i -> "InService".equals(i.lifecycleStateAsString())).toList();
    }

    static boolean present(AutoScalingGroup g, String instanceId) {
        return g.instances().stream().anyMatch(i -> i.instanceId().equals(instanceId)
                && !"Terminated".equals(i.lifecycleStateAsString()));
    }

    void note(String event) {
        timeline.add(new TimelineEntry(clock.instant().toString(), event));
        log.progress("group " + groupName + ": " + event);
    }

    void setMax(int max) {
        asg.updateAutoScalingGroup(r -> r.autoScalingGroupName(groupName).maxSize(max));
        note("max size " + max);
    }

    void setDesired(int desired) {
        asg.setDesiredCapacity(r -> r.autoScalingGroupName(groupName).desiredCapacity(desired).honorCooldown(false));
        note("desired capacity " + desired);
    }

    void terminate(String instanceId, boolean decrement) {
        try {
            asg.terminateInstanceInAutoScalingGroup(r -> r.instanceId(instanceId).shouldDecrementDesiredCapacity(decrement));
        } catch (AutoScalingException e) {
            // a retried call whose first attempt landed finds the instance already leaving: that is the outcome asked for
            if (!leaving(instanceId)) throw e;
        }
        note("terminate " + instanceId + (decrement ? " (capacity decremented)" : " (the group replaces it)"));
    }

    /** The instance is gone from the group, or on its way out. */
    private boolean leaving(String instanceId) {
        return look().instances().stream().noneMatch(i -> i.instanceId().equals(instanceId)
                && !i.lifecycleStateAsString().startsWith("Terminat"));
    }

    /** Suspends AZRebalance so the group does not move instances while the count is raised; true when this did it. */
    boolean suspendRebalance(AutoScalingGroup g) {
        boolean already = g.suspendedProcesses().stream().anyMatch(p -> AZ_REBALANCE.equals(p.processName()));
        if (already) return false;
        asg.suspendProcesses(r -> r.autoScalingGroupName(groupName).scalingProcesses(AZ_REBALANCE));
        note("AZRebalance suspended");
        return true;
    }

    void resumeRebalance() {
        asg.resumeProcesses(r -> r.autoScalingGroupName(groupName).scalingProcesses(AZ_REBALANCE));
        note("AZRebalance resumed");
    }

    /**
     * Looks at the group with backoff until {@code check} gives a value or the deadline passes (then empty), saying
     * what it waits for and the group's instances when they change and at least every 30 s.
     */
    <T> Optional<T> poll(Deadline deadline, String waitingFor, Function<AutoScalingGroup, Optional<T>> check) {
        Backoff backoff = Backoff.forInstances();
        WaitProgress progress = new WaitProgress(log, deadline);
        while (true) {
            AutoScalingGroup g = look();
            Optional<T> value = check.apply(g);
            if (value.isPresent()) return value;
            if (deadline.passed()) return Optional.empty();
            Duration next = backoff.next(deadline.remaining());
            progress.beforeSleep("group " + groupName + ": waiting for " + waitingFor + "; " + describe(g), next);
            sleep(next);
        }
    }

    /** The group's instances as a wait line shows them: "2 instances: i-1 InService/Healthy, i-2 Pending/Healthy". */
    static String describe(AutoScalingGroup g) {
        if (g.instances().isEmpty()) return "no instances";
        StringBuilder sb = new StringBuilder().append(g.instances().size()).append(g.instances().size() == 1 ? " instance: " : " instances: ");
        for (int i = 0; i < g.instances().size(); i++) {
            Instance in = g.instances().get(i);
            if (i > 0) sb.append(", ");
            sb.append(in.instanceId()).append(' ').append(in.lifecycleStateAsString()).append('/').append(in.healthStatus());
        }
        return sb.toString();
    }

    void sleep(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException(ExitCode.FAILED, "interrupted", "group " + groupName, "re-run the replacement");
        }
    }
}
