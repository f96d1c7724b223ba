package io.datomicgitops.reliability;

import io.datomicgitops.ExitCode;
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
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

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
            try (FaultProxy proxy = FaultProxy.start(sandbox.endpoint(), FaultProxy.seeded(seed, RATE, FaultProxy.EVEN_MIX),
                    LATENCY_MILLIS, STALL_MILLIS).honourIdempotencyTokens()) {
                String first = deployUnderFaults(demo, proxy, "seed " + seed + " first deployment", figures, problems);
                demo.pushSecondChange();
                proxy.policy(FaultProxy.seeded(seed * 7919, RATE, FaultProxy.EVEN_MIX));
                String second = deployUnderFaults(demo, proxy, "seed " + seed + " change", figures, problems);
                outcomes.put(seed, first + ", " + second);
                figures.faults(proxy);
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
     * The answer of every mutating call of both deployments is lost once, each way an answer is lost after the sandbox
     * acted: the connection drops (RESET_AFTER), the body is cut mid-way (CUT_BODY), or the answer is held past the
     * runner's attempt timeout (STALL_AFTER, on the calls of each phase that create or execute something). CreateTable,
     * CreateRole, CreateInstanceProfile, CreateBucket, CreateSecurityGroup, CreateChangeSet, ExecuteChangeSet, the
     * lock's PutItem, the termination of the old instance, ...: each retry must find its own work done and go on, with
     * no duplicate, no lost name, and no re-run needed.
     */
    @Test
    void everyMutatingCallWhoseAnswerIsLostIsRetriedWithoutADuplicate(Sandbox sandbox) throws Exception {
        Map<Fault, Predicate<FaultProxy.Call>> kinds = new LinkedHashMap<>();
        kinds.put(Fault.RESET_AFTER, FaultProxy.Call::mutating);
        kinds.put(Fault.CUT_BODY, FaultProxy.Call::mutating);
        kinds.put(Fault.STALL_AFTER, c -> STALLED.contains(c.toString()));
        List<Fault> order = List.copyOf(kinds.keySet());
        Map<Fault, Figures> figures = new EnumMap<>(Fault.class);
        Map<Fault, List<String>> hit = new EnumMap<>(Fault.class);
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        Lanes.run(0, order.size(), i -> {
            Fault kind = order.get((int) i);
            Figures f = new Figures("FaultApplyIT.lostAnswers." + kind);
            DemoRepo demo = DemoRepo.create(tmp.resolve("lost-" + kind), sandbox, SandboxAccount.of(sandbox, Lanes.account(ACCOUNTS + 900, i)));
            try (FaultProxy proxy = FaultProxy.start(sandbox.endpoint(), FaultProxy.firstOf(kind, kinds.get(kind)), 0, STALL_PAST_TIMEOUT_MILLIS)
                    .honourIdempotencyTokens()) {
                deployUnderFaults(demo, proxy, kind + " first deployment", f, problems, "--attempt-timeout", "1s");
                demo.pushSecondChange();
                proxy.policy(FaultProxy.firstOf(kind, kinds.get(kind)));
                deployUnderFaults(demo, proxy, kind + " change", f, problems, "--attempt-timeout", "1s");
                f.faults(proxy);
                f.run();
                f.print();
                synchronized (hit) {
                    figures.put(kind, f);
                    hit.put(kind, proxy.log().stream().map(x -> x.call().toString()).distinct().sorted().toList());
                }
            }
        });
        hit.forEach((k, v) -> System.out.println("FaultApplyIT: " + k + " once each: " + v));

        assertThat(problems).isEmpty();
        figures.forEach((k, f) -> assertThat(f.afterRerun()).as(k + ": every lost answer is recovered in the run itself").isZero());
        assertThat(hit.get(Fault.RESET_AFTER)).contains("dynamodb:CreateTable", "iam:CreateRole", "iam:CreateInstanceProfile",
                "iam:AddRoleToInstanceProfile", "iam:PutRolePolicy", "s3:CreateBucket", "s3:PutBucketTagging", "ec2:CreateSecurityGroup",
                "ec2:AuthorizeSecurityGroupIngress", "dynamodb:PutItem", "dynamodb:DeleteItem", "cloudformation:CreateChangeSet",
                "cloudformation:ExecuteChangeSet", "autoscaling:TerminateInstanceInAutoScalingGroup");
        assertThat(hit.get(Fault.CUT_BODY)).containsAll(hit.get(Fault.RESET_AFTER));
        assertThat(hit.get(Fault.STALL_AFTER)).containsExactlyInAnyOrderElementsOf(STALLED);
        assertThat(figures.get(Fault.RESET_AFTER).reached()).as("retries that met their own work reached the runner's recovery")
                .containsKey("RESET_AFTER");
    }

    /** The calls whose answer is held past the attempt timeout: one per phase that creates or executes something. */
    static final List<String> STALLED = List.of("dynamodb:CreateTable", "iam:CreateRole", "s3:CreateBucket", "ec2:CreateSecurityGroup",
            "dynamodb:PutItem", "cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet",
            "autoscaling:TerminateInstanceInAutoScalingGroup");
    /** Past the 1 s attempt timeout the lost-answer runs set. */
    static final long STALL_PAST_TIMEOUT_MILLIS = 1_500;

    /**
     * A throttling storm: from the first CreateChangeSet (of the first deployment) and from the first
     * TerminateInstanceInAutoScalingGroup (of the change), every AWS call is throttled for longer than the runner's
     * 4 attempts back off. The calls that outlast their retries reach the runner: the run stops with a clear error
     * (or its own retry carries it through) and one clean re-run finishes the deployment.
     */
    @Test
    void aThrottlingStormThatOutlastsTheRetriesStopsTheRunCleanly(Sandbox sandbox) throws Exception {
        Figures figures = new Figures("FaultApplyIT.throttlingStorm");
        List<String> problems = new ArrayList<>();
        DemoRepo demo = DemoRepo.create(tmp.resolve("storm"), sandbox, SandboxAccount.of(sandbox, Lanes.account(ACCOUNTS + 950, 0)));
        try (FaultProxy proxy = FaultProxy.start(sandbox.endpoint(), FaultProxy.storm(c -> c.operation().equals("CreateChangeSet"), STORM_MILLIS), 0, 0)
                .honourIdempotencyTokens()) {
            deployUnderFaults(demo, proxy, "storm first deployment", figures, problems);
            demo.pushSecondChange();
            proxy.policy(FaultProxy.storm(c -> c.operation().equals("TerminateInstanceInAutoScalingGroup"), STORM_MILLIS));
            deployUnderFaults(demo, proxy, "storm change", figures, problems);
            figures.faults(proxy);
        }
        figures.run();
        figures.print();
        assertThat(problems).isEmpty();
        assertThat(figures.reached()).as("throttles outlasted the SDK's retries").containsKey("THROTTLE");
    }

    /** Longer than 4 attempts' backoff on throttling (the SDK waits up to about 1, 2, 4 s between them). */
    static final long STORM_MILLIS = 9_000;

    /**
     * A call refused at each step (AccessDenied, which no SDK retries), one step per run: each run stops at the next
     * step not refused before, with exit 5 and one clear error line, and the next run goes on from where it stopped,
     * until a run meets no refusal. Then the invariants hold: nothing duplicated, no name lost. The normal build
     * refuses the calls that start each phase; -Dreliability.runs past 30 (the soak) every mutating call.
     */
    @Test
    void aCallDeniedAtEachStepStopsTheRunAndTheNextRunGoesOn(Sandbox sandbox) throws Exception {
        Figures figures = new Figures("FaultApplyIT.deniedAtEachStep");
        List<String> problems = new ArrayList<>();
        List<String> denied = new ArrayList<>();
        Predicate<FaultProxy.Call> step = RUNS > 30 ? FaultProxy.Call::mutating : c -> DENIED_STEPS.contains(c.toString());
        DemoRepo demo = DemoRepo.create(tmp.resolve("denied"), sandbox, SandboxAccount.of(sandbox, Lanes.account(ACCOUNTS + 960, 0)));
        try (FaultProxy proxy = FaultProxy.start(sandbox.endpoint(), FaultProxy.none(), 0, 0).honourIdempotencyTokens()) {
            for (String deployment : List.of("first deployment", "change")) {
                if (deployment.equals("change")) demo.pushSecondChange();
                Invariants.History before = Invariants.History.of(demo.repo.bare);
                Set<String> deniedHere = new LinkedHashSet<>();
                while (true) {
                    proxy.policy(denyOneNewStep(step, deniedHere));
                    int deniedBefore = deniedHere.size();
                    DemoRepo.Run run = demo.apply(proxy.endpoint());
                    if (run.ok()) {
                        if (deniedHere.size() != deniedBefore) problems.add(deployment + ": a denied call went unnoticed: " + deniedHere);
                        break;
                    }
                    if (deniedHere.size() == deniedBefore) {
                        problems.add(deployment + ": failed with no call denied: " + run.err());
                        break;
                    }
                    String what = deployment + ", " + List.copyOf(deniedHere).get(deniedHere.size() - 1) + " denied";
                    System.out.println("FaultApplyIT: " + what + ": exit " + run.exitCode() + ": " + run.errorLine());
                    run.unclearFailure().ifPresent(p -> problems.add(what + ": " + p));
                    if (run.exitCode() != ExitCode.AWS_ACCESS.code) problems.add(what + ": exit " + run.exitCode() + ", not 5: " + run.errorLine());
                    figures.tally("review-only-stacks-removed", demo.removeReviewOnlyStacks());
                }
                figures.converged(deniedHere.isEmpty());
                Invariants.Findings found = demo.check(before);
                figures.add(found);
                if (!found.ok()) problems.add(deployment + ": " + found);
                deniedHere.forEach(c -> denied.add(deployment + " " + c));
            }
            figures.faults(proxy);
        }
        figures.put("denied", denied.size());
        figures.run();
        figures.print();
        System.out.println("FaultApplyIT: denied, one per run: " + denied);
        assertThat(problems).isEmpty();
        assertThat(denied).as("each step was refused once").hasSizeGreaterThanOrEqualTo(DENIED_STEPS.size());
        assertThat(figures.reached().get("DENIED")).as("every refusal reached the runner").isEqualTo((long) denied.size());
    }

    /** The calls refused in the normal build: the first mutating call of each phase, and the lock's. */
    static final List<String> DENIED_STEPS = List.of("dynamodb:PutItem", "dynamodb:CreateTable", "iam:CreateRole", "s3:CreateBucket",
            "ec2:CreateSecurityGroup", "cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet",
            "autoscaling:TerminateInstanceInAutoScalingGroup");

    /** Denies the first call of one step not denied before, and adds it to {@code denied}; every other call passes. */
    static FaultProxy.Policy denyOneNewStep(Predicate<FaultProxy.Call> step, Set<String> denied) {
        boolean[] done = {false};
        return call -> {
            synchronized (denied) {
                if (done[0] || !step.test(call) || denied.contains(call.toString())) return null;
                done[0] = true;
                denied.add(call.toString());
                return Fault.DENIED;
            }
        };
    }

    /**
     * One apply under faults, and a clean re-run when it failed. Returns "first try" or "after re-run (error line)";
     * adds any problem (unclear error, failed re-run, broken invariant) to {@code problems}.
     */
    static String deployUnderFaults(DemoRepo demo, FaultProxy proxy, String label, Figures figures, List<String> problems, String... extra) {
        Invariants.History before = Invariants.History.of(demo.repo.bare);
        long t0 = System.nanoTime();
        List<String> args = new ArrayList<>(List.of("--max-attempts", MAX_ATTEMPTS));
        args.addAll(List.of(extra));
        DemoRepo.Run faulted = demo.apply(proxy.endpoint(), args.toArray(String[]::new));
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
