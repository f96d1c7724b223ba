package io.datomicgitops.reliability;

import io.datomicgitops.testing.FaultProxy;
import io.datomicgitops.testing.FaultProxy.Fault;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxAccount;
import io.datomicgitops.testing.SandboxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A full apply of the example config repo through a flaky network: the fault proxy between the runner and the
 * sandbox stalls, resets (before and after the sandbox acted) and throttles or fails a seeded 20% of all AWS
 * requests. Each run deploys twice under faults — the first deployment (ensure-transactor, ensure-cf, template, stack
 * creation), then a change that creates a log bucket, regenerates the template, updates the stack and replaces the
 * instance — and must converge: the apply succeeds, or it fails with a clear error line and one clean re-run
 * succeeds. After each, the invariants hold: one of each resource, the remote names them, nothing lost, no secret.
 */
@ExtendWith(SandboxExtension.class)
class FaultApplyIT {
    /** Runs (seeds) per test: 30 in the normal build, more with -Psoak (-Dreliability.runs=N). */
    static final int RUNS = Integer.getInteger("reliability.runs", 30);
    static final long FIRST_SEED = Long.getLong("reliability.seed", 1);
    static final double RATE = Double.parseDouble(System.getProperty("reliability.fault-rate", "0.2"));
    /** Few attempts, so some faults outlast the retries and the re-run path is exercised too. */
    static final String MAX_ATTEMPTS = System.getProperty("reliability.max-attempts", "4");
    static final long LATENCY_MILLIS = 2;
    static final long STALL_MILLIS = 200;
    /** Run n acts in sandbox account ACCOUNTS + n. */
    static final long ACCOUNTS = 200_000_000_000L;

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void aFullApplyConvergesUnderATwentyPercentFaultRate(Sandbox sandbox) throws Exception {
        Figures figures = new Figures("FaultApplyIT");
        Map<String, Long> resetAfterHits = new ConcurrentSkipListMap<>();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        Map<Long, String> outcomes = new ConcurrentSkipListMap<>();
        Lanes.run(FIRST_SEED, RUNS, seed -> {
            SandboxAccount account = SandboxAccount.of(sandbox, Lanes.account(ACCOUNTS, seed));
            DemoRepo demo = DemoRepo.create(tmp.resolve("run-" + seed), sandbox, account);
            try (FaultProxy proxy = FaultProxy.start(sandbox.endpoint(), sandboxFaithful(FaultProxy.seeded(seed, RATE, FaultProxy.EVEN_MIX)),
                    LATENCY_MILLIS, STALL_MILLIS)) {
                String first = deployUnderFaults(demo, proxy, "seed " + seed + " first deployment", figures, problems);
                demo.pushSecondChange();
                proxy.policy(sandboxFaithful(FaultProxy.seeded(seed * 7919, RATE, FaultProxy.EVEN_MIX)));
                String second = deployUnderFaults(demo, proxy, "seed " + seed + " change", figures, problems);
                outcomes.put(seed, first + ", " + second);
                proxy.injected().forEach((k, v) -> figures.fault(k.name(), v));
                proxy.log().stream().filter(i -> i.fault() == Fault.RESET_AFTER && i.call().mutating())
                        .forEach(i -> resetAfterHits.merge(i.call().toString(), 1L, Long::sum));
            }
            figures.run();
        });
        figures.put("reset-after-on-mutating-calls", resetAfterHits.values().stream().mapToLong(Long::longValue).sum());
        figures.print();
        System.out.println("FaultApplyIT: RESET_AFTER on mutating calls: " + resetAfterHits);
        outcomes.forEach((seed, o) -> System.out.println("FaultApplyIT: seed " + seed + ": " + o));

        assertThat(problems).as("every run converges and the invariants hold").isEmpty();
        assertThat(figures.runs()).isEqualTo(RUNS);
        assertThat(figures.converged()).isEqualTo(2 * RUNS);
        assertThat(figures.bad()).isZero();
        if (RUNS >= 30) {
            assertThat(figures.faultTotal()).as("faults were injected").isGreaterThan(RUNS * 10L);
            assertThat(resetAfterHits.keySet()).as("connections were reset after the sandbox acted on creates")
                    .containsAnyOf("iam:CreateRole", "iam:CreateInstanceProfile", "ec2:CreateSecurityGroup", "dynamodb:PutItem", "s3:CreateBucket");
        }
    }

    /**
     * Every mutating call of both deployments has its first answer lost after the sandbox acted (CreateTable,
     * CreateRole, CreateInstanceProfile, CreateBucket, CreateSecurityGroup, the lock's PutItem, the termination of the
     * old instance, ...): each retry must find its own work done and go on, with no duplicate.
     */
    @Test
    void everyMutatingCallWhoseAnswerIsLostIsRetriedWithoutADuplicate(Sandbox sandbox) throws Exception {
        Figures figures = new Figures("FaultApplyIT.resetAfterEveryMutatingCall");
        List<String> problems = new ArrayList<>();
        SandboxAccount account = SandboxAccount.of(sandbox, Lanes.account(ACCOUNTS, 0));
        DemoRepo demo = DemoRepo.create(tmp.resolve("reset-after"), sandbox, account);
        try (FaultProxy proxy = FaultProxy.start(sandbox.endpoint(),
                sandboxFaithful(FaultProxy.firstOf(Fault.RESET_AFTER, FaultProxy.Call::mutating)), 0, 0)) {
            deployUnderFaults(demo, proxy, "first deployment", figures, problems);
            demo.pushSecondChange();
            proxy.policy(sandboxFaithful(FaultProxy.firstOf(Fault.RESET_AFTER, FaultProxy.Call::mutating)));
            deployUnderFaults(demo, proxy, "change", figures, problems);
            proxy.injected().forEach((k, v) -> figures.fault(k.name(), v));
            List<String> hit = proxy.log().stream().map(i -> i.call().toString()).distinct().sorted().toList();
            figures.run();
            figures.put("operations", hit.size());
            figures.print();
            System.out.println("FaultApplyIT: reset after the sandbox acted, once each: " + hit);

            assertThat(problems).isEmpty();
            assertThat(figures.afterRerun()).as("every lost answer is recovered by the retry itself").isZero();
            assertThat(hit).contains("dynamodb:CreateTable", "iam:CreateRole", "iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile",
                    "iam:PutRolePolicy", "s3:CreateBucket", "s3:PutBucketTagging", "ec2:CreateSecurityGroup",
                    "ec2:AuthorizeSecurityGroupIngress", "dynamodb:PutItem", "dynamodb:DeleteItem");
        }
    }

    /**
     * The sandbox answers a repeated CreateChangeSet or ExecuteChangeSet unlike AWS (it creates a second stack of the
     * same name, or executes the change set again), so a reset after the sandbox acted on those two is left out here;
     * ChangeSetRetryReplayTest covers them on AWS's recorded answers.
     */
    static FaultProxy.Policy sandboxFaithful(FaultProxy.Policy policy) {
        return call -> {
            Fault f = policy.decide(call);
            boolean unfaithful = call.service().equals("cloudformation")
                    && (call.operation().equals("CreateChangeSet") || call.operation().equals("ExecuteChangeSet"));
            return f == Fault.RESET_AFTER && unfaithful ? null : f;
        };
    }

    /**
     * One apply under faults, and a clean re-run when it failed. Returns "first try" or "after re-run (error line)";
     * adds any problem (unclear error, failed re-run, broken invariant) to {@code problems}.
     */
    static String deployUnderFaults(DemoRepo demo, FaultProxy proxy, String label, Figures figures, List<String> problems) {
        Invariants.History before = Invariants.History.of(demo.repo.bare);
        long t0 = System.nanoTime();
        DemoRepo.Run faulted = demo.apply(proxy.endpoint(), "--max-attempts", MAX_ATTEMPTS);
        System.out.println("FaultApplyIT: " + label + " apply took " + (System.nanoTime() - t0) / 1_000_000 + " ms, exit " + faulted.exitCode() + (faulted.ok() ? "" : ": " + faulted.errorLine()));
        String outcome;
        if (faulted.ok()) {
            figures.converged(true);
            outcome = "first try";
        } else {
            faulted.unclearFailure().ifPresent(p -> problems.add(label + ": " + p));
            figures.tally("review-only-stacks-removed", demo.removeReviewOnlyStacks());
            DemoRepo.Run clean = demo.apply(null);
            if (!clean.ok()) {
                problems.add(label + ": the clean re-run failed (exit " + clean.exitCode() + "): " + clean.err()
                        + "\nafter the faulted run's: " + faulted.err());
                return "not converged";
            }
            figures.converged(false);
            outcome = "after re-run (" + faulted.errorLine() + ")";
        }
        long t1 = System.nanoTime();
        Invariants.Findings found = demo.check(before);
        figures.add(found);
        System.out.println("FaultApplyIT: " + label + " invariants took " + (System.nanoTime() - t1) / 1_000_000 + " ms");
        if (!found.ok()) problems.add(label + " (" + outcome + "): " + found);
        return outcome;
    }
}
