package io.datomicgitops.reliability;

import io.datomicgitops.testing.FaultProxy;
import io.datomicgitops.testing.GitDaemon;
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
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code apply} as a child process ({@code java -jar datomic-gitops.jar}), SIGKILLed at a seeded moment, then run again
 * (in-process, no fault): the re-run finishes the deployment and the invariants hold. Odd seeds kill the first
 * deployment (ensure phases, template, stack creation), even seeds the change after it (template, stack update,
 * instance replacement). The kill moment is a seeded progress line of the run plus a seeded delay, so kills spread
 * over every phase, not over the JVM's start-up; 10 ms of latency on every AWS call stretches the phases. The
 * remote is served by git daemon, as in production the server, not the killed client, updates its branch.
 */
@ExtendWith(SandboxExtension.class)
class CrashApplyIT {
    static final int RUNS = Integer.getInteger("reliability.runs", 30);
    static final long FIRST_SEED = Long.getLong("reliability.seed", 1);
    static final long ACCOUNTS = 300_000_000_000L;
    static final long LATENCY_MILLIS = 10;
    static final long MAX_DELAY_MILLIS = 400;

    /** A moment of a run: right after the progress line that matches, in the given phase. */
    record Moment(String phase, Pattern line) {
        static Moment of(String phase, String regex) {
            return new Moment(phase, Pattern.compile(regex));
        }
    }

    /** Where the first deployment can be killed: each step that writes, creates or pushes something. */
    static final List<Moment> FIRST = List.of(
            Moment.of("start-up and plan", "^$"),
            Moment.of("lock", "lock: .* taken"),
            Moment.of("ensure-transactor", "creating dynamodb-table"),
            Moment.of("ensure-transactor", "creating s3-bucket"),
            Moment.of("ensure-transactor", "wrote aws-s3-log-bucket-id="),
            Moment.of("ensure-transactor", "creating iam-role datomic-aws-transactor"),
            Moment.of("ensure-transactor", "wrote aws-transactor-role="),
            Moment.of("ensure-transactor", "creating instance-profile datomic-aws-transactor"),
            Moment.of("ensure-transactor", "creating iam-role datomic-aws-peer"),
            Moment.of("ensure-transactor", "wrote aws-peer-role="),
            Moment.of("ensure-cf", "creating security-group"),
            Moment.of("ensure-cf", "creating ingress-rule"),
            Moment.of("ensure-cf", "wrote java-xmx="),
            Moment.of("ensure-cf", "wrote java-opts="),
            Moment.of("template and stack", "creating change set"),
            Moment.of("template and stack", "executing datomic-gitops-"),
            Moment.of("deployment record", "CREATE_COMPLETE, autoscaling group"));

    /** Where the change (m5.xlarge) can be killed. */
    static final List<Moment> CHANGE = List.of(
            Moment.of("start-up and plan", "^$"),
            Moment.of("lock", "lock: .* taken"),
            Moment.of("template and stack", "creating change set"),
            Moment.of("template and stack", "executing datomic-gitops-"),
            Moment.of("replacement", "UPDATE_COMPLETE, autoscaling group"),
            Moment.of("replacement", "replacing \\["),
            Moment.of("replacement", "terminate i-"),
            Moment.of("replacement", "new instance .* is ready"),
            Moment.of("deployment record", "replaced \\["));

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void anApplyKilledAtAnyMomentIsFinishedByTheNextRun(Sandbox sandbox) throws Exception {
        Figures figures = new Figures("CrashApplyIT");
        System.out.println("CrashApplyIT: " + RUNS + " seeds from " + FIRST_SEED + ", " + Lanes.LANES + " at once");
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        Map<Long, String> outcomes = new ConcurrentSkipListMap<>();
        Map<String, Long> phases = new ConcurrentSkipListMap<>();
        try (GitDaemon daemon = GitDaemon.start(tmp)) {
            List<String> jvm = warmUp(sandbox, daemon);
            Lanes.run(FIRST_SEED, RUNS, seed -> {
                Random random = new Random(seed);
                boolean duringChange = seed % 2 == 0;
                String label = "seed " + seed + (duringChange ? " change" : " first deployment");
                SandboxAccount account = SandboxAccount.of(sandbox, Lanes.account(ACCOUNTS, seed));
                DemoRepo demo = DemoRepo.create(tmp.resolve("run-" + seed), sandbox, account, daemon::url);
                if (duringChange) {
                    DemoRepo.Run first = demo.apply(null);
                    if (!first.ok()) throw new IllegalStateException(label + ": the first deployment failed: " + first.err());
                    demo.pushSecondChange();
                }
                Invariants.History before = Invariants.History.of(demo.repo.bare);

                List<Moment> moments = duringChange ? CHANGE : FIRST;
                Moment moment = moments.get(random.nextInt(moments.size()));
                long delay = random.nextLong(MAX_DELAY_MILLIS);
                String when = moment.phase() + " (after /" + moment.line() + "/ + " + delay + " ms)";
                int status;
                try (FaultProxy proxy = FaultProxy.start(sandbox.endpoint(), FaultProxy.none(), LATENCY_MILLIS, 0)) {
                    ChildApply child = ChildApply.start(jvm, demo.applyArgs(demo.dir.resolve("killed.json")), demo.env(proxy.endpoint()));
                    boolean reached = moment.line().pattern().equals("^$") || child.awaitLine(moment.line(), 120_000);
                    if (reached) Thread.sleep(moment.line().pattern().equals("^$") ? 300 + delay * 5 : delay);
                    status = child.isAlive() ? child.kill() : child.waitFor(10_000);
                    demo.outputs.add(child.output());
                }
                boolean killed = status == 137;
                if (killed) {
                    figures.fault("SIGKILL", 1);
                    figures.reached("SIGKILL", 1); // no SDK between: the re-run's recovery finishes what the kill left
                    phases.merge(moment.phase(), 1L, Long::sum);
                }
                figures.tally("review-only-stacks-removed", demo.removeReviewOnlyStacks());
                DemoRepo.Run rerun = demo.apply(null);
                String output = rerun.out() + rerun.err();
                long recovered = output.lines().filter(l -> l.contains("recovered: ") || l.contains("process that died")).count();
                if (!rerun.ok()) {
                    problems.add(label + ": the re-run after a kill in " + when + " failed (exit " + rerun.exitCode() + "): " + rerun.err());
                    outcomes.put(seed, label + ": not converged");
                    return;
                }
                if (rerun.err().lines().anyMatch(l -> l.startsWith("error:"))) problems.add(label + ": the re-run printed an error: " + rerun.err());
                figures.converged(false);
                Invariants.Findings found = demo.check(before);
                figures.add(found);
                if (!found.ok()) problems.add(label + " (killed in " + when + "): " + found);
                outcomes.put(seed, label + ": " + (killed ? "killed in " + when : "ended (exit " + status + ") before " + when)
                        + "; re-run ok, " + recovered + " recovery line(s)");
                figures.run();
            });
        }
        figures.put("killed-in", phases);
        figures.print();
        outcomes.values().forEach(o -> System.out.println("CrashApplyIT: " + o));

        assertThat(problems).as("every killed apply is finished by the next run, and the invariants hold").isEmpty();
        assertThat(figures.runs()).isEqualTo(RUNS);
        assertThat(figures.bad()).isZero();
        long kills = phases.values().stream().mapToLong(Long::longValue).sum();
        assertThat(kills).as("kills that landed (the others ended first)").isGreaterThanOrEqualTo(RUNS * 9L / 10);
        if (RUNS >= 30) {
            assertThat(phases.keySet()).as("kills spread over the phases")
                    .contains("ensure-transactor", "ensure-cf", "template and stack", "replacement");
        }
    }

    /** Dumps the class-data archive the children start with, from a plan of the example in an account of its own. */
    private List<String> warmUp(Sandbox sandbox, GitDaemon daemon) throws Exception {
        SandboxAccount account = SandboxAccount.of(sandbox, Lanes.account(ACCOUNTS, 0));
        DemoRepo demo = DemoRepo.create(tmp.resolve("warm-up"), sandbox, account, daemon::url);
        return ChildApply.jvmOptions(tmp.resolve("runner.jsa"),
                List.of("plan", "--dir", demo.repo.clone.toString(), "--report", tmp.resolve("warm-up.json").toString()), demo.env(null));
    }
}
