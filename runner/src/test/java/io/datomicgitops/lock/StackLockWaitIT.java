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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.datomicgitops.lock.StackLock.POLL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The wait for a lock someone else holds (--lock-wait), on the sandbox's DynamoDB but in simulated time: both runs
 * read a {@link TestTime} clock that moves only when the waiting run sleeps, so minutes of waiting take none.
 */
@ExtendWith(SandboxExtension.class)
class StackLockWaitIT {
    private static final String TABLE = "locks-wait";
    /** A whole second: the lock table keeps epoch seconds, so times read back compare equal. */
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    /**
     * Long enough that the holder's background renewer (every lease/3 of real time) never runs during a test: it
     * would move the lease in simulated time.
     */
    private static final Duration LEASE = Duration.ofMinutes(10);

    @Test
    void aWaitingRunNamesTheHolderAndTheTimeWaitedEvery30sAndTakesTheLockOnceItIsReleased(Sandbox sandbox) {
        try (AwsClients aws = sandbox.clients()) {
            TestTime time = new TestTime(START);
            StackLock.Lease alice = new StackLock(aws, Sandbox.REGION, TABLE, Log.NONE, time)
                    .acquire("waits", "alice", "build 1", LEASE, Duration.ZERO);
            Sleeper releasedOnTheTwentiethPoll = d -> {
                time.sleep(d);
                if (time.sleeps().size() == 20) alice.close();
            };
            RecordingLog log = new RecordingLog();
            StackLock lock = new StackLock(aws, Sandbox.REGION, TABLE, log, time, releasedOnTheTwentiethPoll);

            try (StackLock.Lease bob = lock.acquire("waits", "bob", "build 2", LEASE, Duration.ofMinutes(5))) {
                assertThat(time.sleeps()).hasSize(20).containsOnly(POLL);
                assertThat(bob.holder().acquired()).isEqualTo(START.plusSeconds(100));
                assertThat(lock.holder("waits")).get().extracting(StackLock.Holder::lockId).isEqualTo(bob.holder().lockId());
            }
            // a poll every 5 s, a line every 30 s: the holder, the time waited and the time left of --lock-wait
            String waiting = "lock: waits is held by " + alice.holder().describe() + "; waiting, 1st in line";
            assertThat(log.lines()).containsExactly(waiting + " (0s so far, 5m left)", waiting + " (30s so far, 4m30s left)",
                    waiting + " (1m so far, 4m left)", waiting + " (1m30s so far, 3m30s left)",
                    "lock: waits taken (lease until " + START.plusSeconds(100).plus(LEASE) + ", renewed while held)");
        }
    }

    @Test
    void aLockWaitShorterThanTheLeaseGivesUpAtTheFirstPollPastItNamingTheHolder(Sandbox sandbox) {
        try (AwsClients aws = sandbox.clients()) {
            TestTime time = new TestTime(START);
            StackLock lock = new StackLock(aws, Sandbox.REGION, TABLE, Log.NONE, time, time);
            try (StackLock.Lease alice = lock.acquire("gives-up", "alice", "build 1", LEASE, Duration.ZERO)) {
                assertThatThrownBy(() -> lock.acquire("gives-up", "bob", "build 2", LEASE, Duration.ofSeconds(12)))
                        .isInstanceOfSatisfying(ToolException.class, e -> {
                            assertThat(e.exitCode()).isEqualTo(ExitCode.LOCKED);
                            assertThat(e.exitCode().code).isEqualTo(6);
                            assertThat(e.getMessage()).contains("stack gives-up is locked by alice (build 1",
                                    "force-unlock gives-up --lock-id " + alice.holder().lockId());
                        });
                // looks at 0 s, 5 s and 10 s are inside the 12 s wait; the one at 15 s is past it
                assertThat(time.sleeps()).containsExactly(POLL, POLL, POLL);
                assertThat(time.instant()).isEqualTo(START.plusSeconds(15));
                assertThat(lock.holder("gives-up")).get().extracting(StackLock.Holder::lockId).isEqualTo(alice.holder().lockId());
            }
        }
    }

    @Test
    void aWaitingRunTakesOverAHolderAtTheFirstPollAfterItsLeaseRanOut(Sandbox sandbox) {
        try (AwsClients aws = sandbox.clients()) {
            TestTime time = new TestTime(START);
            StackLock lock = new StackLock(aws, Sandbox.REGION, TABLE, Log.NONE, time, time);
            // alive, so not taken over as a holder that died on this machine: only its lease can free the lock
            StackLock.Lease stuck = lock.acquire("expired", "carol", "build 1", LEASE, Duration.ZERO);
            time.advance(LEASE.minusSeconds(10));

            try (StackLock.Lease dave = lock.acquire("expired", "dave", "build 2", LEASE, Duration.ofMinutes(5))) {
                // the looks at 9:50, 9:55 and 10:00 find the lease running (it runs out after its last second);
                // the one at 10:05 takes over
                assertThat(time.sleeps()).containsExactly(POLL, POLL, POLL);
                assertThat(time.instant()).isEqualTo(stuck.holder().expires().plus(POLL));
                assertThat(lock.holder("expired")).get().extracting(StackLock.Holder::lockId).isEqualTo(dave.holder().lockId());

                stuck.close(); // the late release of the old holder leaves the new one alone
                assertThat(lock.holder("expired")).get().extracting(StackLock.Holder::lockId).isEqualTo(dave.holder().lockId());
            }
        }
    }

    /**
     * A run interrupted (SIGINT, SIGTERM) while it waits in line: the signal's path gives up its place at once, so the
     * runs behind it do not wait a minute for its ticket to run out, and the waiting thread, which goes on until the
     * exit, stops at its next look instead of joining the line again.
     */
    @Test
    void aRunInterruptedWhileInLineGivesUpItsPlaceAndDoesNotJoinAgain(Sandbox sandbox) {
        try (AwsClients aws = sandbox.clients()) {
            TestTime time = new TestTime(START);
            LockQueue line = new LockQueue(aws.dynamoDb(Sandbox.REGION), TABLE, "interrupted", time);
            List<List<String>> left = new ArrayList<>();
            List<Integer> ticketsAfter = new ArrayList<>();
            Sleeper signalOnTheSecondLook = d -> {
                time.sleep(d);
                if (time.sleeps().size() == 2) {
                    assertThat(line.tickets()).as("erin waits in line").hasSize(1);
                    left.add(StackLock.leaveLines()); // what BaseCommand's signal path does
                    ticketsAfter.add(line.tickets().size());
                }
            };
            StackLock lock = new StackLock(aws, Sandbox.REGION, TABLE, Log.NONE, time, signalOnTheSecondLook);
            try (StackLock.Lease frank = lock.acquire("interrupted", "frank", "build 1", LEASE, Duration.ZERO)) {
                assertThatThrownBy(() -> lock.acquire("interrupted", "erin", "build 2", LEASE, Duration.ofMinutes(5)))
                        .isInstanceOfSatisfying(ToolException.class, e -> {
                            assertThat(e.exitCode()).isEqualTo(ExitCode.INTERRUPTED);
                            assertThat(e.getMessage()).contains("interrupted while waiting in line for the lock of interrupted");
                        });
                assertThat(left).containsExactly(List.of("interrupted"));
                assertThat(ticketsAfter).as("the place given up at once").containsExactly(0);
                assertThat(time.sleeps()).as("no look after the signal").hasSize(2);
                assertThat(line.tickets()).as("not in line again").isEmpty();
                assertThat(StackLock.leaveLines()).as("nothing left to give up").isEmpty();
            }
        }
    }
}
