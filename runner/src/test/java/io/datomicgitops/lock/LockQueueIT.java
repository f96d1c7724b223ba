package io.datomicgitops.lock;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.report.Log;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import io.datomicgitops.testing.replay.RecordingLog;
import io.datomicgitops.testing.replay.TestTime;
import io.datomicgitops.wait.Sleeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The line of runs waiting for a stack's lock (--lock-wait), on the sandbox's DynamoDB: first come, first served; a
 * waiter that died drops out; a newer build of the same job takes the place of the older one (--supersede).
 *
 * <p>Waiters that run side by side are threads on the real clock whose sleeper stands in for {@link StackLock#POLL}
 * with a few milliseconds, so a test of many looks takes a second. Each waiter looks at its own pace, the latest
 * comer the most often: a lock that went to whoever looks first after a release would go to the last one.
 */
@ExtendWith(SandboxExtension.class)
class LockQueueIT {
    private static final Duration LEASE = Duration.ofMinutes(10);
    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final String DEPLOY_JOB = "https://ci.example.com/job/deploy/";

    @Test
    void threeWaitersTakeTheLockInTheOrderTheyCameAndEachSaysItsPlaceInLine(Sandbox sandbox) throws Exception {
        try (AwsClients aws = sandbox.clients()) {
            String stack = "arrival";
            StackLock.Lease alice = lock(aws, "locks-queue", Log.NONE, 0).acquire(stack, "alice", DEPLOY_JOB + "40/", LEASE, Duration.ZERO);
            List<String> order = Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                RecordingLog bobLog = new RecordingLog();
                RecordingLog carolLog = new RecordingLog();
                RecordingLog daveLog = new RecordingLog();
                List<Future<?>> runs = new ArrayList<>();
                runs.add(pool.submit(() -> deploy(lock(aws, "locks-queue", bobLog, 60), stack, "bob", DEPLOY_JOB + "41/", order)));
                awaitLine(bobLog, "; waiting");
                runs.add(pool.submit(() -> deploy(lock(aws, "locks-queue", carolLog, 20), stack, "carol", DEPLOY_JOB + "42/", order)));
                awaitLine(carolLog, "; waiting");
                runs.add(pool.submit(() -> deploy(lock(aws, "locks-queue", daveLog, 5), stack, "dave", DEPLOY_JOB + "43/", order)));
                awaitLine(daveLog, "; waiting");
                alice.close();
                for (Future<?> run : runs) run.get(60, TimeUnit.SECONDS);

                assertThat(order).containsExactly("bob", "carol", "dave");
                assertThat(bobLog.text()).contains("lock: arrival is held by alice (" + DEPLOY_JOB + "40/, pid ")
                        .contains("; waiting, 1st in line (");
                assertThat(carolLog.text()).contains("; waiting, 2nd in line after " + DEPLOY_JOB + "41/ (bob) (");
                assertThat(daveLog.text()).contains("; waiting, 3rd in line after " + DEPLOY_JOB + "41/ (bob), " + DEPLOY_JOB + "42/ (carol) (")
                        .contains("; waiting, 2nd in line after " + DEPLOY_JOB + "42/ (carol) (");
                assertThat(queue(aws, "locks-queue", stack).tickets()).as("every waiter left the line").isEmpty();
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aWaiterThatDiedDropsOutOfLineWhenItsTicketRunsOutAndARunWithoutLockWaitDoesNotJumpTheLine(Sandbox sandbox) {
        try (AwsClients aws = sandbox.clients()) {
            String stack = "dead-waiter";
            TestTime time = new TestTime(Instant.parse("2030-01-01T00:00:00Z"));
            StackLock.Lease alice = new StackLock(aws, Sandbox.REGION, "locks-dead", Log.NONE, time, time)
                    .acquire(stack, "alice", DEPLOY_JOB + "40/", LEASE, Duration.ZERO);
            // ghost takes a place in line, then dies at its second look: no catch, no finally of its own runs
            Sleeper diesAtTheSecondLook = d -> {
                if (time.sleeps().size() == 1) throw new Error("killed");
                time.sleep(d);
            };
            assertThatThrownBy(() -> new StackLock(aws, Sandbox.REGION, "locks-dead", Log.NONE, time, diesAtTheSecondLook)
                    .acquire(stack, "ghost", DEPLOY_JOB + "41/", LEASE, WAIT)).hasMessage("killed");
            alice.close();
            Instant ghostLeftOff = time.instant();
            assertThat(queue(aws, "locks-dead", stack).tickets()).extracting(LockQueue.Ticket::who).containsExactly("ghost");

            // the lock is free, but ghost came first: a run that does not wait in line is refused, naming it
            assertThatThrownBy(() -> new StackLock(aws, Sandbox.REGION, "locks-dead", Log.NONE, time, time)
                    .acquire(stack, "eve", DEPLOY_JOB + "50/", LEASE, Duration.ZERO))
                    .isInstanceOfSatisfying(ToolException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.LOCKED);
                        assertThat(e.getMessage()).contains("the lock of stack dead-waiter is free, but 1 run(s) came first and wait for it: "
                                + DEPLOY_JOB + "41/ (ghost)");
                    });

            RecordingLog log = new RecordingLog();
            try (StackLock.Lease bob = new StackLock(aws, Sandbox.REGION, "locks-dead", log, time, time)
                    .acquire(stack, "bob", DEPLOY_JOB + "42/", LEASE, WAIT)) {
                // ghost's ticket lasts a minute from its last renewal; bob's first look past that takes the lock
                assertThat(Duration.between(ghostLeftOff, bob.holder().acquired()))
                        .isGreaterThan(LockQueue.TICKET_LEASE).isLessThanOrEqualTo(LockQueue.TICKET_LEASE.plus(StackLock.POLL).plusSeconds(1));
                assertThat(log.text()).contains("lock: dead-waiter is free; waiting, 2nd in line after " + DEPLOY_JOB + "41/ (ghost) (0s so far");
                assertThat(queue(aws, "locks-dead", stack).tickets()).as("ghost's ticket was removed, bob's too").isEmpty();
            }
        }
    }

    @Test
    void aWaiterStalledForLongerThanItsTicketJoinsTheLineAgainSayingSoAndStillGetsTheLock(Sandbox sandbox) {
        try (AwsClients aws = sandbox.clients()) {
            String stack = "stalled";
            TestTime time = new TestTime(Instant.parse("2030-01-01T00:00:00Z"));
            StackLock.Lease alice = new StackLock(aws, Sandbox.REGION, "locks-stalled", Log.NONE, time, time)
                    .acquire(stack, "alice", DEPLOY_JOB + "40/", LEASE, Duration.ZERO);
            // bob's second sleep lasts two minutes (a stalled JVM); alice releases at his fourth look
            Sleeper stallsThenAliceReleases = d -> {
                time.sleep(time.sleeps().size() == 1 ? Duration.ofMinutes(2) : d);
                if (time.sleeps().size() == 3) alice.close();
            };
            RecordingLog log = new RecordingLog();
            try (StackLock.Lease bob = new StackLock(aws, Sandbox.REGION, "locks-stalled", log, time, stallsThenAliceReleases)
                    .acquire(stack, "bob", DEPLOY_JOB + "41/", LEASE, WAIT)) {
                assertThat(log.lines()).contains("warning: lock: this run's place in line for stalled ran out (not renewed for 1m); "
                        + "it joins the line again at its end");
                assertThat(bob.holder().who()).isEqualTo("bob");
                assertThat(queue(aws, "locks-stalled", stack).tickets()).isEmpty();
            }
        }
    }

    @Test
    void aNewerBuildOfTheSameJobTakesTheOlderOnesPlaceInLineAndTheOlderStopsWithExit9(Sandbox sandbox) throws Exception {
        try (AwsClients aws = sandbox.clients()) {
            String stack = "supersede";
            StackLock.Lease alice = lock(aws, "locks-supersede", Log.NONE, 0).acquire(stack, "alice", "https://ci.example.com/job/other/7/",
                    LEASE, Duration.ZERO);
            List<String> order = Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                RecordingLog olderLog = new RecordingLog();
                RecordingLog carolLog = new RecordingLog();
                RecordingLog newerLog = new RecordingLog();
                Future<?> older = pool.submit(() -> deploy(lock(aws, "locks-supersede", olderLog, 10), stack, "jenkins", DEPLOY_JOB + "41/", order));
                awaitLine(olderLog, "1st in line");
                Future<?> carol = pool.submit(() -> deploy(lock(aws, "locks-supersede", carolLog, 10), stack, "carol", "https://ci.example.com/job/hotfix/3/", order));
                awaitLine(carolLog, "2nd in line");
                Future<?> newer = pool.submit(() -> {
                    try (StackLock.Lease l = lock(aws, "locks-supersede", newerLog, 10).acquire(stack, "jenkins", DEPLOY_JOB + "42/", LEASE,
                            new LockWait(WAIT, true))) {
                        order.add("build 42");
                    }
                    return null;
                });
                awaitLine(newerLog, "1st in line");

                assertThatThrownBy(() -> older.get(60, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(ToolException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.SUPERSEDED);
                    assertThat(e.exitCode().code).isEqualTo(9);
                    assertThat(e.getMessage()).contains("a newer build of the same job, " + DEPLOY_JOB + "42/ (jenkins), took this run's place in line "
                            + "for the lock of supersede: stopped before deploying supersede");
                });
                assertThat(newerLog.text()).contains("lock: supersede: this run takes the place in line of " + DEPLOY_JOB + "41/ (jenkins), "
                        + "an older build of the same job, which stops without deploying (--supersede)");
                awaitLine(carolLog, "; waiting, 2nd in line after " + DEPLOY_JOB + "42/ (jenkins) (");
                alice.close();
                newer.get(60, TimeUnit.SECONDS);
                carol.get(60, TimeUnit.SECONDS);
                assertThat(order).containsExactly("build 42", "carol");
                assertThat(queue(aws, "locks-supersede", stack).tickets()).isEmpty();
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aJobIsItsBuildUrlWithoutTheBuildNumber() {
        assertThat(LockQueue.jobOf("https://ci.example.com/job/deploy/41/")).isEqualTo("https://ci.example.com/job/deploy/");
        assertThat(LockQueue.jobOf("https://ci.example.com/job/deploy/41")).isEqualTo("https://ci.example.com/job/deploy/");
        assertThat(LockQueue.jobOf("/home/alice/config")).isEqualTo("/home/alice/config");
        assertThat(StackLock.ordinal(1)).isEqualTo("1st");
        assertThat(StackLock.ordinal(12)).isEqualTo("12th");
        assertThat(StackLock.ordinal(23)).isEqualTo("23rd");
    }

    /** A lock on the real clock whose waits between looks last {@code millis} instead of {@link StackLock#POLL}. */
    private static StackLock lock(AwsClients aws, String table, Log log, long millis) {
        return new StackLock(aws, Sandbox.REGION, table, log, Clock.systemUTC(), d -> Thread.sleep(millis));
    }

    private static LockQueue queue(AwsClients aws, String table, String stack) {
        return new LockQueue(aws.dynamoDb(Sandbox.REGION), table, stack, Clock.systemUTC());
    }

    /** Waits in line for the lock, notes that it got it, holds it a moment, and lets it go. */
    private static Void deploy(StackLock lock, String stack, String who, String where, List<String> order) throws InterruptedException {
        try (StackLock.Lease l = lock.acquire(stack, who, where, LEASE, WAIT)) {
            order.add(who);
            Thread.sleep(100);
        }
        return null;
    }

    private static void awaitLine(RecordingLog log, String text) throws InterruptedException {
        await(() -> log.text().contains(text), "a line with '" + text + "' in:\n" + log.text());
    }

    private static void await(Supplier<Boolean> condition, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.get()) {
            if (System.nanoTime() > until) throw new AssertionError("waited 30 s for " + what);
            Thread.sleep(10);
        }
    }
}
