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
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
// the tests side by side (each in sandbox accounts of its own; the class still runs alone among the others, whose
// start resets the sandbox): most of each is backoff, stalls and a storm's waiting
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

    /**
     * The sweep's mix: {@link FaultProxy#EVEN_MIX} but for the cut body, which has a test of its own: every mutating
     * call meets one in the lost-answer test (the sweep's figures stay comparable with earlier runs').
     */
    static final List<Fault> SWEEP_MIX = FaultProxy.EVEN_MIX.stream().filter(f -> f != Fault.CUT_BODY).toList();

    @TempDir
    Path tmp;

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void aFullApplyConvergesUnderATwentyPercentFaultRate(Sandbox sandbox) throws Exception {
        Figures figures = new Figures("FaultApplyIT");
        System.out.println("FaultApplyIT: " + RUNS + " seeds from " + FIRST_SEED + ", " + Lanes.LANES + " at once");
        Map<String, Long> resetAfterHits = new ConcurrentSkipListMap<>();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        Map<Long, String> outcomes = new ConcurrentSkipListMap<>();
        Lanes.run(FIRST_SEED, RUNS, seed -> {
            SandboxAccount account = SandboxAccount.of(sandbox, Lanes.account(ACCOUNTS, seed));
            DemoRepo demo = DemoRepo.create(tmp.resolve("run-" + seed), sandbox, account);
            try (FaultProxy proxy = FaultProxy.start(sandbox.endpoint(), FaultProxy.seeded(seed, RATE, SWEEP_MIX),
                    LATENCY_MILLIS, STALL_MILLIS).honourIdempotencyTokens()) {
                String first = deployUnderFaults(demo, proxy, "seed " + seed + " first deployment", figures, problems);
                demo.pushSecondChange();
                proxy.policy(FaultProxy.seeded(seed * 7919, RATE, SWEEP_MIX));
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
     * acted: the connection drops (RESET_AFTER), the answer is held past the runner's attempt timeout (STALL_AFTER, on
     * the calls that create, execute or take something), or its body is cut mid-way (CUT_BODY). CreateTable, CreateRole,
     * CreateInstanceProfile, CreateBucket, CreateSecurityGroup, CreateChangeSet, ExecuteChangeSet, the lock's PutItem,
     * the termination of the old instance, ...: each is retried (a cut body too, which the SDK alone would not retry:
     * DynamoDB's checksum, the XML parser fail), and the retry must find its own work done and go on in the same run:
     * no re-run, no duplicate, no lost name.
     */
    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void everyMutatingCallWhoseAnswerIsLostIsRetriedWithoutADuplicate(Sandbox sandbox) throws Exception {
        Map<Fault, Predicate<FaultProxy.Call>> kinds = new LinkedHashMap<>();
        kinds.put(Fault.RESET_AFTER, FaultProxy.Call::mutating);
        kinds.put(Fault.STALL_AFTER, c -> STALLED.contains(c.toString()));
        kinds.put(Fault.CUT_BODY, FaultProxy.Call::mutating);
        List<Fault> order = List.copyOf(kinds.keySet());
        Map<Fault, Figures> figures = new EnumMap<>(Fault.class);
        Map<Fault, List<String>> hit = new EnumMap<>(Fault.class);
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        Lanes.run(0, order.size(), i -> {
            Fault kind = order.get((int) i);
            Figures f = new Figures("FaultApplyIT.lostAnswers." + kind);
            String[] timeout = kind == Fault.STALL_AFTER ? new String[]{"--attempt-timeout", ATTEMPT_TIMEOUT} : new String[0];
            DemoRepo demo = DemoRepo.create(tmp.resolve("lost-" + kind), sandbox, SandboxAccount.of(sandbox, Lanes.account(ACCOUNTS + 900, i)));
            try (FaultProxy proxy = FaultProxy.start(sandbox.endpoint(), FaultProxy.firstOf(kind, kinds.get(kind)), 0, STALL_PAST_TIMEOUT_MILLIS)
                    .honourIdempotencyTokens()) {
                untilConverged(demo, proxy, kind + " first deployment", f, problems, timeout);
                demo.pushSecondChange();
                proxy.policy(FaultProxy.firstOf(kind, kinds.get(kind)));
                untilConverged(demo, proxy, kind + " change", f, problems, timeout);
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
        List<String> mutating = List.of("dynamodb:CreateTable", "iam:CreateRole", "iam:CreateInstanceProfile",
                "iam:AddRoleToInstanceProfile", "iam:PutRolePolicy", "s3:CreateBucket", "s3:PutBucketTagging", "ec2:CreateSecurityGroup",
                "ec2:AuthorizeSecurityGroupIngress", "dynamodb:PutItem", "dynamodb:DeleteItem", "cloudformation:CreateChangeSet",
                "cloudformation:ExecuteChangeSet", "autoscaling:TerminateInstanceInAutoScalingGroup");
        assertThat(hit.get(Fault.RESET_AFTER)).containsAll(mutating);
        assertThat(hit.get(Fault.CUT_BODY)).containsAll(mutating);
        assertThat(hit.get(Fault.STALL_AFTER)).containsExactlyInAnyOrderElementsOf(STALLED);
        for (Fault retried : List.of(Fault.RESET_AFTER, Fault.STALL_AFTER, Fault.CUT_BODY)) {
            assertThat(figures.get(retried).afterRerun()).as(retried + ": every lost answer is recovered in the run itself").isZero();
            assertThat(figures.get(retried).reached()).as(retried + ": retries that met their own work reached the runner's recovery")
                    .containsKey(retried.name());
        }
    }

    /** The calls whose answer is held past the attempt timeout: those that create, execute or take something. */
    static final List<String> STALLED = List.of("iam:CreateRole", "dynamodb:PutItem", "cloudformation:CreateChangeSet",
            "cloudformation:ExecuteChangeSet", "autoscaling:TerminateInstanceInAutoScalingGroup");
    /** The runner's attempt timeout in the STALL_AFTER runs (30 s by default), and a stall past it. */
    static final String ATTEMPT_TIMEOUT = "10s";
    static final long STALL_PAST_TIMEOUT_MILLIS = 11_000;

    /**
     * Applies through the proxy, its policy left as it is, until a run succeeds (at most 20 runs); each run that
     * fails must say so clearly. Then the invariants must hold.
     */
    static void untilConverged(DemoRepo demo, FaultProxy proxy, String label, Figures figures, List<String> problems, String... extra) {
        Invariants.History before = Invariants.History.of(demo.repo.bare);
        List<String> args = new ArrayList<>(List.of("--max-attempts", MAX_ATTEMPTS));
        args.addAll(List.of(extra));
        for (int run = 1; ; run++) {
            DemoRepo.Run r = demo.apply(proxy.endpoint(), args.toArray(String[]::new));
            System.out.println("FaultApplyIT: " + label + " run " + run + ": exit " + r.exitCode() + (r.ok() ? "" : ": " + r.errorLine()));
            if (r.ok()) {
                figures.converged(run == 1);
                break;
            }
            r.unclearFailure().ifPresent(p -> problems.add(label + " run " + r.exitCode() + ": " + p));
            figures.tally("review-only-stacks-removed", demo.removeReviewOnlyStacks());
            if (run == 20) {
                problems.add(label + ": no run succeeded in 20: " + r.err());
                return;
            }
        }
        Invariants.Findings found = demo.check(before);
        figures.add(found);
        if (!found.ok()) problems.add(label + ": " + found);
    }

    /**
     * A throttling storm: from the first CreateChangeSet (of the first deployment) and from the first
     * TerminateInstanceInAutoScalingGroup (of the change), every AWS call is throttled for longer than the runner's
     * 4 attempts back off. The calls that outlast their retries reach the runner: the run stops with a clear error
     * (or its own retry carries it through) and one clean re-run finishes the deployment.
     */
    @Test
    @Execution(ExecutionMode.CONCURRENT)
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
     * A call refused at each step (AccessDenied, which no SDK retries), one step per run, in the order of the
     * deployment: each run stops at its step with exit 5 and one clear error line, and the next run goes on from where
     * it stopped, until a run meets no refusal. Then the invariants hold: nothing duplicated, no name lost. The change
     * set a plan creates only to preview the change is refused last: the apply's plan redoes that preview, so that
     * refusal is absorbed by the runner's own code and the run goes on.
     */
    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aCallDeniedAtEachStepStopsTheRunAndTheNextRunGoesOn(Sandbox sandbox) throws Exception {
        Figures figures = new Figures("FaultApplyIT.deniedAtEachStep");
        List<String> problems = new ArrayList<>();
        List<String> denied = new ArrayList<>();
        DemoRepo demo = DemoRepo.create(tmp.resolve("denied"), sandbox, SandboxAccount.of(sandbox, Lanes.account(ACCOUNTS + 960, 0)));
        try (FaultProxy proxy = FaultProxy.start(sandbox.endpoint(), FaultProxy.none(), 0, 0).honourIdempotencyTokens()) {
            for (String deployment : List.of("first deployment", "change")) {
                List<String> steps = deployment.equals("change") ? CHANGE_STEPS : FIRST_STEPS;
                if (deployment.equals("change")) demo.pushSecondChange();
                Invariants.History before = Invariants.History.of(demo.repo.bare);
                for (int i = 0; i <= steps.size(); i++) {
                    String step = i < steps.size() ? steps.get(i) : null;
                    long[] hits = {0};
                    proxy.policy(call -> call.toString().equals(step) && hits[0]++ == 0 ? Fault.DENIED : null);
                    DemoRepo.Run run = demo.apply(proxy.endpoint());
                    String what = deployment + ", " + (step == null ? "nothing" : step) + " denied";
                    System.out.println("FaultApplyIT: " + what + ": exit " + run.exitCode() + (run.ok() ? "" : ": " + run.errorLine()));
                    if (step != null && hits[0] == 0) problems.add(what + ": the run never made that call (exit " + run.exitCode() + ")");
                    if (step != null && hits[0] > 0) denied.add(deployment + " " + step);
                    boolean absorbed = step != null && run.ok() && step.equals("cloudformation:CreateChangeSet") && i == steps.size() - 1;
                    if (step == null || absorbed) {
                        if (!run.ok()) problems.add(what + ": the run after the last refusal failed: " + run.err());
                        break;
                    }
                    if (run.ok()) problems.add(what + ": the run succeeded through a refused call");
                    run.unclearFailure().ifPresent(p -> problems.add(what + ": " + p));
                    if (run.exitCode() != ExitCode.AWS_ACCESS.code) problems.add(what + ": exit " + run.exitCode() + ", not 5: " + run.errorLine());
                    figures.tally("review-only-stacks-removed", demo.removeReviewOnlyStacks());
                }
                figures.converged(false);
                Invariants.Findings found = demo.check(before);
                figures.add(found);
                if (!found.ok()) problems.add(deployment + ": " + found);
            }
            figures.faults(proxy);
        }
        figures.put("denied", denied.size());
        figures.run();
        figures.print();
        System.out.println("FaultApplyIT: denied, one per run: " + denied);
        assertThat(problems).isEmpty();
        assertThat(denied).hasSize(FIRST_STEPS.size() + CHANGE_STEPS.size());
        assertThat(figures.reached().get("DENIED")).as("every refusal reached the runner").isEqualTo((long) denied.size());
    }

    /** The first deployment's steps, in their order: the lock table, the lock, ensure-transactor, ensure-cf, the stack. */
    static final List<String> FIRST_STEPS = List.of("dynamodb:CreateTable", "dynamodb:PutItem", "s3:CreateBucket", "iam:CreateRole",
            "iam:CreateInstanceProfile", "iam:PutRolePolicy", "ec2:CreateSecurityGroup", "ec2:AuthorizeSecurityGroupIngress",
            "cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet");
    /**
     * The change's: the lock, the replacement, last the plan's preview change set. (Its ExecuteChangeSet is the first
     * deployment's step again; refused, the sandbox's next update recreates the group, and no replacement is left.)
     */
    static final List<String> CHANGE_STEPS = List.of("dynamodb:PutItem", "autoscaling:UpdateAutoScalingGroup", "autoscaling:TerminateInstanceInAutoScalingGroup", "cloudformation:CreateChangeSet");

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
