package io.datomicgitops.instances;

import io.datomicgitops.ExitCode;
import io.datomicgitops.instances.ReplacementRun.Stop;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;

import java.util.Optional;
import java.util.Set;

/**
 * The runbook's way: terminate each old instance without decrementing the capacity and wait for the group's
 * replacement to be ready. With one transactor the group has no InService instance until the replacement is up.
 */
final class TerminateStrategy {

    ReplacementResult run(ReplacementRun run) {
        GroupOps ops = run.ops;
        Stop stop = null;
        try {
            for (String old : run.plan.toReplace()) {
                AutoScalingGroup g = ops.look();
                if (!GroupOps.present(g, old)) {
                    ops.note(old + " has left the group already");
                    continue;
                }
                Set<String> known = ReplacementRun.ids(g);
                ops.terminate(old, false);
                run.replaced.add(old);
                Optional<String> fresh = run.waitForNewReady(known, run.healthDeadline());
                if (fresh.isEmpty()) throw run.timeout("no replacement for " + old + " became ready within "
                        + run.request.healthTimeout().toSeconds() + "s" + run.notReady(known));
                run.launched.add(fresh.get());
                if (!run.waitUntilGone(old)) throw run.timeout(old + " is still terminating");
            }
        } catch (Stop s) {
            stop = s;
        } catch (SdkException | io.datomicgitops.ToolException e) {
            stop = Stop.failed(e);
        }
        if (stop != null) throw run.failed(stop);
        return run.result(ReplacementOutcome.REPLACED);
    }
}
