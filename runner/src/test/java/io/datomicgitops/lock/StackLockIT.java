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

    /**
     * Host and pid are no identity (PID namespaces, containers sharing a host name): a holder whose pid is gone here
     * may be alive elsewhere. Only its lease frees the lock.
     */
    @Test
    void aHolderWhosePidLooksGoneIsTakenOverByItsLeaseOnly(Sandbox sandbox) throws Exception {
        try (AwsClients aws = sandbox.clients()) {
            StackLock lock = new StackLock(aws, "us-east-1", "locks-dead", Log.NONE, Clock.systemUTC());
            lock.acquire("warm-up", "t", "t", Duration.ofMinutes(1), Duration.ZERO).close(); // creates the table
            Process gone = new ProcessBuilder("true").start();
            gone.waitFor();
            long now = Instant.now().getEpochSecond();
            java.util.function.LongConsumer holderUntil = expires -> aws.dynamoDb("us-east-1").putItem(r -> r.tableName("locks-dead").item(java.util.Map.of(
                    "LockID", s("prod"), "LockOwner", s("old-id"), "Who", s("killed"), "Where", s("build 1"),
                    "Host", s(StackLock.thisHost()), "Pid", software.amazon.awssdk.services.dynamodb.model.AttributeValue.builder().n(Long.toString(gone.pid())).build(),
                    "Acquired", software.amazon.awssdk.services.dynamodb.model.AttributeValue.builder().n(Long.toString(now)).build(),
                    "Expires", software.amazon.awssdk.services.dynamodb.model.AttributeValue.builder().n(Long.toString(expires)).build())));
            holderUntil.accept(now + 3600);
            assertThatThrownBy(() -> lock.acquire("prod", "next", "build 2", Duration.ofHours(1), Duration.ZERO))
                    .isInstanceOfSatisfying(ToolException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.LOCKED))
                    .hasMessageContaining("stack prod is locked by killed");
            holderUntil.accept(now - 1); // its lease ran out
            try (StackLock.Lease taken = lock.acquire("prod", "next", "build 2", Duration.ofHours(1), Duration.ZERO)) {
                assertThat(lock.holder("prod")).get().extracting(StackLock.Holder::who).isEqualTo("next");
            }
        }
    }

    /** A run of a clone notes the lock id in the clone before it writes the lock; a run refused the lock notes nothing. */
    @Test
    void aRunOfACloneNotesTheLockItTakes(Sandbox sandbox, @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        try (AwsClients aws = sandbox.clients()) {
            java.nio.file.Path mine = java.nio.file.Files.createDirectories(tmp.resolve("mine/.git")).getParent();
            java.nio.file.Path other = java.nio.file.Files.createDirectories(tmp.resolve("other/.git")).getParent();
            StackLock lock = new StackLock(aws, "us-east-1", "locks-noted", Log.NONE, Clock.systemUTC());
            try (StackLock.Lease held = lock.forFolder("prod", mine).acquire("prod", "gina", "ci", Duration.ofHours(1), Duration.ZERO)) {
                assertThat(new HeldLocks(mine.resolve(".git")).left()).extracting(HeldLocks.Entry::lockId)
                        .containsExactly(held.holder().lockId());
                assertThatThrownBy(() -> lock.forFolder("prod", other).acquire("prod", "hank", "ci", Duration.ofHours(1), Duration.ZERO))
                        .hasMessageContaining("stack prod is locked by gina");
                assertThat(new HeldLocks(other.resolve(".git")).left()).isEmpty();
            }
        }
    }

    /**
     * A holder paused past its lease (a stopped VM, a long GC) finds, at its next renewal, the lock taken by another
     * run: it stops before its next mutating call, which is never sent, and says why. Reads and its lock calls go on.
     */
    @Test
    void aHolderThatLostItsLockStopsBeforeItsNextChange(Sandbox sandbox) {
        try (AwsClients aws = sandbox.clients(); AwsClients others = sandbox.clients()) {
            java.util.List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
            Log log = new Log() {
                @Override public void progress(String line) { }
                @Override public void warn(String line) { warnings.add(line); }
            };
            StackLock lock = new StackLock(aws, "us-east-1", "locks-lost", log, Clock.systemUTC());
            StackLock.Lease alice = lock.acquire("prod", "alice", "build 1", Duration.ofMinutes(1), Duration.ZERO);
            aws.s3("us-east-1").createBucket(b -> b.bucket("lost-lock-before")); // while held, changes go through

            Clock twoMinutesLater = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(2));
            StackLock.Lease bob = new StackLock(others, "us-east-1", "locks-lost", Log.NONE, twoMinutesLater)
                    .acquire("prod", "bob", "build 2", Duration.ofMinutes(10), Duration.ZERO);
            alice.renew(Duration.ofMinutes(1));

            assertThatThrownBy(() -> aws.s3("us-east-1").createBucket(b -> b.bucket("lost-lock-after")))
                    .isInstanceOfSatisfying(ToolException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.LOCKED))
                    .hasMessageContaining("this run lost the lock on prod (taken over by bob")
                    .hasMessageContaining("stopped before S3:CreateBucket, which was not sent");
            assertThat(warnings).anyMatch(w -> w.contains("lost the lock on prod") && w.contains("stops before its next change"));
            assertThat(others.s3("us-east-1").listBuckets().buckets()).extracting(b -> b.name())
                    .contains("lost-lock-before").doesNotContain("lost-lock-after");
            assertThat(aws.s3("us-east-1").listBuckets().buckets()).as("reads go on").isNotEmpty();

            alice.close(); // bob's lock is not released by the loser
            assertThat(lock.holder("prod")).get().extracting(StackLock.Holder::who).isEqualTo("bob");
            bob.close();
        }
    }

    /** A lease that ran out without a renewal (DynamoDB unreachable meanwhile) is lost too, without asking anyone. */
    @Test
    void aLeaseThatRanOutWithoutRenewalStopsTheNextChange(Sandbox sandbox) {
        try (AwsClients aws = sandbox.clients()) {
            java.util.concurrent.atomic.AtomicReference<Instant> now = new java.util.concurrent.atomic.AtomicReference<>(Instant.now());
            Clock clock = new Clock() {
                @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
                @Override public Clock withZone(java.time.ZoneId zone) { return this; }
                @Override public Instant instant() { return now.get(); }
            };
            try (StackLock.Lease stale = new StackLock(aws, "us-east-1", "locks-ran-out", Log.NONE, clock)
                    .acquire("prod", "carol", "build 1", Duration.ofMinutes(1), Duration.ZERO)) {
                now.set(now.get().plus(Duration.ofSeconds(61))); // no renewal landed in the whole minute
                assertThatThrownBy(() -> aws.s3("us-east-1").createBucket(b -> b.bucket("ran-out")))
                        .isInstanceOfSatisfying(ToolException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.LOCKED))
                        .hasMessageContaining("this run lost the lock on prod (its lease ran out at");
            }
        }
    }

    private static software.amazon.awssdk.services.dynamodb.model.AttributeValue s(String v) {
        return software.amazon.awssdk.services.dynamodb.model.AttributeValue.builder().s(v).build();
    }
}
