package io.datomicgitops.reliability;

import io.datomicgitops.aws.ApiCallCounter;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.aws.AwsSettings;
import io.datomicgitops.lock.StackLock;
import io.datomicgitops.report.Log;
import io.datomicgitops.testing.FaultProxy;
import io.datomicgitops.testing.FaultProxy.Fault;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The deployment lock through a flaky network: a lost answer never locks a run out by itself, nor fails a deployment. */
@ExtendWith(SandboxExtension.class)
class StackLockFaultIT {

    /** Collects warnings. */
    static final class Lines implements Log {
        final List<String> warnings = new CopyOnWriteArrayList<>();

        @Override
        public void progress(String line) {}

        @Override
        public void warn(String line) {
            warnings.add(line);
        }
    }

    private static AwsClients through(FaultProxy proxy, int attempts) {
        return new AwsClients(new AwsSettings(Optional.of(Sandbox.REGION), Optional.of(proxy.endpoint()), Optional.empty(), Optional.empty(),
                Optional.of(new AwsSettings.AwsCredentials("testing", "testing", null)), attempts, Duration.ofSeconds(10)), new ApiCallCounter());
    }

    @Test
    void aLockWriteWhoseAnswerWasLostIsOursNotSomeoneElses(Sandbox sandbox) throws Exception {
        try (FaultProxy proxy = FaultProxy.start(sandbox.endpoint(), FaultProxy.firstOf(Fault.RESET_AFTER,
                c -> c.operation().equals("PutItem") || c.operation().equals("DeleteItem")), 0, 0);
             AwsClients aws = through(proxy, 4)) {
            Lines log = new Lines();
            StackLock lock = new StackLock(aws, Sandbox.REGION, "locks-reset-after", log, Clock.systemUTC());
            StackLock.Lease lease = lock.acquire("prod", "alice", "build 1", Duration.ofMinutes(10), Duration.ZERO);
            assertThat(proxy.log()).extracting(i -> i.call().operation() + " " + i.fault()).contains("PutItem RESET_AFTER");
            assertThat(lock.holder("prod")).get().extracting(StackLock.Holder::lockId).isEqualTo(lease.holder().lockId());

            lease.close(); // its DeleteItem is reset after the sandbox deleted: the retry finds nothing, which is released
            assertThat(proxy.log()).extracting(i -> i.call().operation() + " " + i.fault()).contains("DeleteItem RESET_AFTER");
            assertThat(lock.holder("prod")).isEmpty();
            assertThat(log.warnings).isEmpty();
        }
    }

    /**
     * A lock write whose every answer is lost: the first arrives cut mid-way (its write landed; DynamoDB's checksum
     * fails, and the cut answer is retried as a lost one), the connection of each retry drops after DynamoDB answered
     * (the lock taken, by this write), until the attempts run out and the SDK hands the failure to the lock's code. The
     * write landed, so the lock is this run's: it goes on holding it, instead of failing and leaving a lock nobody
     * releases until its lease runs out (the next apply met it: exit 6, "locked by" itself).
     */
    @Test
    void aLockWriteWhoseAnswersWereAllLostIsOursAndHeld(Sandbox sandbox) throws Exception {
        AtomicInteger puts = new AtomicInteger();
        FaultProxy.Policy lost = c -> !c.operation().equals("PutItem") ? null
                : puts.getAndIncrement() == 0 ? Fault.CUT_BODY : Fault.RESET_AFTER;
        try (FaultProxy proxy = FaultProxy.start(sandbox.endpoint(), lost, 0, 0);
             AwsClients aws = through(proxy, 4)) {
            StackLock lock = new StackLock(aws, Sandbox.REGION, "locks-cut-body", new Lines(), Clock.systemUTC());
            StackLock.Lease lease = lock.acquire("prod", "carol", "build 3", Duration.ofMinutes(10), Duration.ZERO);
            proxy.policy(FaultProxy.none());
            assertThat(proxy.log()).extracting(i -> i.call().operation() + " " + i.fault()).containsExactly(
                    "PutItem CUT_BODY", "PutItem RESET_AFTER", "PutItem RESET_AFTER", "PutItem RESET_AFTER");
            assertThat(proxy.reachedTool()).as("the SDK handed the lost answer to the lock's own code").containsKey(Fault.RESET_AFTER);
            assertThat(lock.holder("prod")).get().extracting(StackLock.Holder::lockId).isEqualTo(lease.holder().lockId());
            lease.close();
            assertThat(lock.holder("prod")).isEmpty();
        }
    }

    @Test
    void aReleaseThatKeepsFailingWarnsWithTheWayOutInsteadOfFailingTheDeployment(Sandbox sandbox) throws Exception {
        try (FaultProxy proxy = FaultProxy.start(sandbox.endpoint(), FaultProxy.none(), 0, 0);
             AwsClients aws = through(proxy, 2)) {
            Lines log = new Lines();
            StackLock lock = new StackLock(aws, Sandbox.REGION, "locks-release-fails", log, Clock.systemUTC());
            StackLock.Lease lease = lock.acquire("prod", "bob", "build 2", Duration.ofMinutes(10), Duration.ZERO);
            proxy.policy(c -> c.operation().equals("DeleteItem") ? Fault.ERROR_503 : null);
            lease.close();
            assertThat(log.warnings).singleElement().asString()
                    .contains("could not release the lock on prod", "force-unlock prod --lock-id " + lease.holder().lockId());
            proxy.policy(FaultProxy.none());
            assertThat(lock.holder("prod")).as("still held until its lease runs out").isPresent();
            lock.forceUnlock("prod", lease.holder().lockId());
            assertThat(lock.holder("prod")).isEmpty();
        }
    }
}
