package io.datomicgitops.lock;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.report.Log;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(SandboxExtension.class)
class StackLockIT {

    @Test
    void exactlyOneOfManyConcurrentRunsGetsTheLockAndTheOthersNameTheHolder(Sandbox sandbox) throws Exception {
        try (AwsClients aws = sandbox.clients()) {
            StackLock lock = new StackLock(aws, "us-east-1", "locks-race", Log.NONE, Clock.systemUTC());
            lock.holder("warm-up"); // the table does not exist yet: no holder
            ExecutorService pool = Executors.newFixedThreadPool(6);
            CountDownLatch start = new CountDownLatch(1);
            AtomicInteger won = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            java.util.List<Future<?>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int n = i;
                futures.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    try {
                        lock.acquire("prod", "runner-" + n, "build " + n, Duration.ofHours(1), Duration.ZERO);
                        won.incrementAndGet();
                    } catch (ToolException e) {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.LOCKED);
                        assertThat(e.getMessage()).contains("stack prod is locked by runner-").contains("force-unlock prod --lock-id");
                        refused.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) f.get();
            pool.shutdown();
            assertThat(won.get()).isEqualTo(1);
            assertThat(refused.get()).isEqualTo(5);
        }
    }

    @Test
    void releaseLetsTheNextOneInAndAnExpiredLeaseIsTakenOver(Sandbox sandbox) {
        try (AwsClients aws = sandbox.clients()) {
            StackLock lock = new StackLock(aws, "us-east-1", "locks-lease", Log.NONE, Clock.systemUTC());
            try (StackLock.Lease first = lock.acquire("prod", "alice", "laptop", Duration.ofHours(1), Duration.ZERO)) {
                assertThat(lock.holder("prod")).get().extracting(StackLock.Holder::who).isEqualTo("alice");
            }
            assertThat(lock.holder("prod")).isEmpty();

            // a holder that died an hour ago: its lease ran out, so the next run takes over
            Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
            new StackLock(aws, "us-east-1", "locks-lease", Log.NONE, past).acquire("prod", "dead", "gone", Duration.ofHours(1), Duration.ZERO);
            StackLock.Lease taken = lock.acquire("prod", "bob", "ci", Duration.ofHours(1), Duration.ZERO);
            assertThat(lock.holder("prod")).get().extracting(StackLock.Holder::who).isEqualTo("bob");
            taken.close();
        }
    }

    @Test
    void forceUnlockNeedsTheRightLockId(Sandbox sandbox) {
        try (AwsClients aws = sandbox.clients()) {
            StackLock lock = new StackLock(aws, "us-east-1", "locks-force", Log.NONE, Clock.systemUTC());
            StackLock.Lease held = lock.acquire("prod", "carol", "ci", Duration.ofHours(1), Duration.ZERO);
            assertThatThrownBy(() -> lock.forceUnlock("prod", "wrong-id")).hasMessageContaining("is not locked with id wrong-id");
            lock.forceUnlock("prod", held.holder().lockId());
            assertThat(lock.holder("prod")).isEmpty();
        }
    }

    /** A run killed while holding a lock left a note in its clone; the next run releases that lock by its id. */
    @Test
    void aLockNotedByAKilledRunIsReleasedByIdAndOnlyThatOne(Sandbox sandbox, @org.junit.jupiter.api.io.TempDir java.nio.file.Path gitDir) {
        try (AwsClients aws = sandbox.clients()) {
            StackLock lock = new StackLock(aws, "us-east-1", "locks-left", Log.NONE, Clock.systemUTC());
            HeldLocks notes = new HeldLocks(gitDir);
            StackLock.Lease again = lock.acquire("prod", "frank", "ci", Duration.ofHours(1), Duration.ZERO);
            notes.record(new HeldLocks.Entry("prod", "us-east-1", "locks-left", again.holder().lockId()));
            assertThat(notes.left()).extracting(HeldLocks.Entry::lockId).containsExactly(again.holder().lockId());
            assertThat(lock.releaseLeft("prod", "someone-elses-id")).isFalse();
            assertThat(lock.holder("prod")).as("another id is left alone").isPresent();
            assertThat(lock.releaseLeft("prod", again.holder().lockId())).isTrue();
            assertThat(lock.holder("prod")).isEmpty();
            notes.clear("prod");
            assertThat(notes.left()).isEmpty();
            again.close(); // the run that noted it is gone: closing a released lease changes nothing
            assertThat(lock.holder("prod")).isEmpty();
        }
    }

    @Test
    void aHolderThatDiedOnThisMachineIsTakenOverAtOnce(Sandbox sandbox) throws Exception {
        try (AwsClients aws = sandbox.clients()) {
            StackLock lock = new StackLock(aws, "us-east-1", "locks-dead", Log.NONE, Clock.systemUTC());
            lock.acquire("warm-up", "t", "t", Duration.ofMinutes(1), Duration.ZERO).close(); // creates the table
            Process gone = new ProcessBuilder("true").start();
            gone.waitFor();
            long now = Instant.now().getEpochSecond();
            aws.dynamoDb("us-east-1").putItem(r -> r.tableName("locks-dead").item(java.util.Map.of(
                    "LockID", s("prod"), "LockOwner", s("old-id"), "Who", s("killed"), "Where", s("build 1"),
                    "Host", s(StackLock.thisHost()), "Pid", software.amazon.awssdk.services.dynamodb.model.AttributeValue.builder().n(Long.toString(gone.pid())).build(),
                    "Acquired", software.amazon.awssdk.services.dynamodb.model.AttributeValue.builder().n(Long.toString(now)).build(),
                    "Expires", software.amazon.awssdk.services.dynamodb.model.AttributeValue.builder().n(Long.toString(now + 3600)).build())));
            try (StackLock.Lease taken = lock.acquire("prod", "next", "build 2", Duration.ofHours(1), Duration.ZERO)) {
                assertThat(lock.holder("prod")).get().extracting(StackLock.Holder::who).isEqualTo("next");
            }
            // a live holder on this machine (this very process) is not taken over
            try (StackLock.Lease mine = lock.acquire("prod", "alive", "build 3", Duration.ofHours(1), Duration.ZERO)) {
                assertThatThrownBy(() -> lock.acquire("prod", "other", "build 4", Duration.ofHours(1), Duration.ZERO))
                        .hasMessageContaining("stack prod is locked by alive");
            }
        }
    }

    private static software.amazon.awssdk.services.dynamodb.model.AttributeValue s(String v) {
        return software.amazon.awssdk.services.dynamodb.model.AttributeValue.builder().s(v).build();
    }
}
