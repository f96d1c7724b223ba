package io.datomicgitops.stack;

import io.datomicgitops.wait.Sleeper;

import io.datomicgitops.wait.Deadline;

import io.datomicgitops.wait.Backoff;

import io.datomicgitops.report.Log;
import io.datomicgitops.wait.WaitProgress;

import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Stack;

import java.util.Optional;

/**
 * Waits for a stack operation to end: polls with backoff, streams the new events on every poll, says the stack's status
 * when it changes and at least every 30 s ({@link WaitProgress}), and stops when the stack leaves *_IN_PROGRESS (after
 * its own start event, so a status from before the operation is never mistaken for its end) or the deadline passes.
 */
final class StackWaiter {
    /** Polls after which a resting status counts even without the operation's start event (events can lag). */
    private static final int POLLS_WITHOUT_START_EVENT = 3;

    private final CloudFormationClient cf;
    private final Sleeper sleeper;
    private final Log log;

    StackWaiter(CloudFormationClient cf, Sleeper sleeper, Log log) {
        this.cf = cf;
        this.sleeper = sleeper;
        this.log = log;
    }

    /** Thrown when the deadline passes; carries the last status seen. */
    static final class TimedOut extends Exception {
        final String lastStatus;

        TimedOut(String lastStatus) {
            super("timed out in " + lastStatus);
            this.lastStatus = lastStatus;
        }
    }

    /** The stack at the end of the operation, or empty when it no longer exists. */
    Optional<Stack> waitForEnd(String stackName, StackEvents events, Deadline deadline) throws TimedOut {
        Backoff backoff = Backoff.forStacks();
        WaitProgress progress = new WaitProgress(log, deadline);
        String last = "unknown";
        int polls = 0;
        while (true) {
            // the first look is at once: an operation with little to do is over before a second has passed
            events.poll();
            Optional<Stack> stack = describe(stackName);
            if (stack.isEmpty()) return Optional.empty();
            last = stack.get().stackStatusAsString();
            polls++;
            boolean resting = !StackStatuses.inProgress(last) && !last.equals("REVIEW_IN_PROGRESS");
            if (resting && (events.operationStarted() || polls >= POLLS_WITHOUT_START_EVENT)) {
                events.poll(); // the last events may have landed after the status
                return stack;
            }
            if (deadline.passed()) throw new TimedOut(last);
            java.time.Duration next = backoff.next(deadline.remaining());
            progress.beforeSleep("stack " + stackName + ": " + last + ", waiting", next);
            sleep(next);
        }
    }

    Optional<Stack> describe(String stackName) {
        try {
            return cf.describeStacks(r -> r.stackName(stackName)).stacks().stream().findFirst();
        } catch (CloudFormationException e) {
            if (StackDeployer.isMissingStack(e)) return Optional.empty();
            throw e;
        }
    }

    private void sleep(java.time.Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the stack", e);
        }
    }
}
