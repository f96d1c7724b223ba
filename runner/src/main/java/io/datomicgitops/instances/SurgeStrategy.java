package io.datomicgitops.instances;

import io.datomicgitops.ExitCode;
import io.datomicgitops.instances.ReplacementRun.Stop;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Instance;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Surge: for each old instance, raise the desired capacity by one (and the max size when it is in the way), wait for
 * the new instance to be ready as standby, then terminate the old one with the capacity decremented. The group is never
 * without an InService instance. On a timeout or failure the surge instance is removed and the sizes restored.
 */
final class SurgeStrategy {

    ReplacementResult run(ReplacementRun run) {
        GroupOps ops = run.ops;
        Capacity before = run.plan.capacity();
        AutoScalingGroup g = ops.look();
        boolean suspended = ops.suspendRebalance(g);
        boolean maxRaised = false;
        Stop stop = null;
        Set<String> known = null;
        try {
            for (String old : run.plan.toReplace()) {
                g = ops.look();
                if (!GroupOps.present(g, old)) {
                    ops.note(old + " has left the group already");
                    continue;
                }
                known = ReplacementRun.ids(g);
                int desired = g.desiredCapacity();
                if (desired + 1 > g.maxSize()) {
                    ops.setMax(desired + 1);
                    maxRaised = true;
                }
                ops.setDesired(desired + 1);
                Optional<String> fresh = run.waitForNewReady(known, run.healthDeadline());
                if (fresh.isEmpty()) throw run.timeout("no new instance became ready within " + run.request.healthTimeout().toSeconds() + "s"
                        + run.notReady(known));
                g = ops.look();
                boolean othersInService = GroupOps.inService(g).stream().anyMatch(i -> !i.instanceId().equals(old));
                if (!othersInService) {
                    throw new Stop(ExitCode.FAILED, "no other instance is InService: terminating " + old + " would leave the group empty",
                            "look at the group; re-run when the new instance is InService");
                }
                run.launched.add(fresh.get());
                ops.terminate(old, true);
                known = null; // the old one is on its way out and the capacity is back: the new instance stays
                if (!run.waitUntilGone(old)) throw run.timeout(old + " is still terminating");
                run.replaced.add(old);
            }
        } catch (Stop s) {
            stop = s;
        } catch (SdkException | io.datomicgitops.ToolException e) {
            stop = Stop.failed(e);
        }
        if (stop != null && known != null) undoSurge(run, known, before);
        restore(run, before, maxRaised, suspended);
        if (stop != null) throw run.failed(stop);
        return run.result(ReplacementOutcome.REPLACED);
    }

    /** Removes the instance(s) this surge step launched (never ready, or not needed any more), with the capacity. */
    private void undoSurge(ReplacementRun run, Set<String> known, Capacity before) {
        GroupOps ops = run.ops;
        try {
            AutoScalingGroup g = ops.look();
            List<Instance> extra = g.instances().stream().filter(i -> !known.contains(i.instanceId())).toList();
            for (Instance i : extra) {
                ops.terminate(i.instanceId(), true);
                run.launched.remove(i.instanceId());
            }
            g = ops.look();
            if (g.desiredCapacity() > before.desired()) ops.setDesired(before.desired());
        } catch (SdkException e) {
            run.warnings.add("could not remove the surge instance: " + e.getMessage());
        }
    }

    private void restore(ReplacementRun run, Capacity before, boolean maxRaised, boolean suspended) {
        GroupOps ops = run.ops;
        try {
            if (maxRaised) {
                AutoScalingGroup g = ops.look();
                if (g.desiredCapacity() <= before.max()) ops.setMax(before.max());
                else run.warnings.add("max size left at " + g.maxSize() + ": desired capacity is " + g.desiredCapacity());
            }
            if (suspended) ops.resumeRebalance();
        } catch (SdkException e) {
            run.warnings.add("could not restore the group's sizes: " + e.getMessage());
        }
    }
}
