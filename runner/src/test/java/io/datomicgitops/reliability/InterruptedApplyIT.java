package io.datomicgitops.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.lock.StackLock;
import io.datomicgitops.report.Json;
import io.datomicgitops.report.Log;
import io.datomicgitops.testing.FaultProxy;
import io.datomicgitops.testing.GitDaemon;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxAccount;
import io.datomicgitops.testing.SandboxExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static io.datomicgitops.reliability.Invariants.STACK;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code apply} as a child process ({@code java -jar datomic-gitops.jar}), interrupted by a signal while it holds the
 * stack's lock, as a Jenkins abort (SIGTERM) or Ctrl-C (SIGINT) does: it exits 130, writes report.json with status
 * interrupted and an error saying where it stopped and what to do, prints that as one line to stderr, and leaves no
 * lock behind; the next apply takes the lock at once and finishes the deployment, and the invariants hold. Every AWS
 * call of the child goes through the fault proxy with added latency, so that the run is slow enough to be caught in
 * the middle; its first DescribeStacks answers HTTP 500, so the child's retry line is checked too.
 */
@ExtendWith(SandboxExtension.class)
class InterruptedApplyIT {
    static final long ACCOUNTS = 500_000_000_000L;
    static final long LATENCY_MILLIS = 40;
    static final String ERROR = "error: apply, stack " + STACK + ": interrupted by SIG%s after: [demo] ";

    @TempDir
    Path tmp;

    /**
     * The remote is served by git daemon, as in production: the signal ends the process with Runtime.halt once the
     * report is written and the lock released, and a push to a file:// remote in flight at that moment would leave
     * the remote's own ref lock behind (the killed client was also the server), which no real git server does.
     */
    GitDaemon daemon;

    @BeforeEach
    void serve() throws Exception {
        daemon = GitDaemon.start(tmp);
    }

    @AfterEach
    void stopServing() {
        if (daemon != null) daemon.close();
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void sigtermDuringTheReplacementReleasesTheLockWritesTheReportAndTheNextApplyFinishes(Sandbox sandbox) throws Exception {
        SandboxAccount account = SandboxAccount.of(sandbox, Lanes.account(ACCOUNTS, 1));
        DemoRepo demo = DemoRepo.create(tmp.resolve("term"), sandbox, account, daemon::url);
        DemoRepo.Run first = demo.apply(null);
        assertThat(first.ok()).as("the first deployment: %s", first.err()).isTrue();
        demo.pushSecondChange();
        Invariants.History before = Invariants.History.of(demo.repo.bare);

        Interrupted run = interrupt(sandbox, demo, "TERM", Pattern.compile("\\[demo\\] group .*: replacing \\["));

        run.assertInterrupted("TERM");
        assertNoLock(account);
        finishedByTheNextApply(demo, before);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void sigintDuringTheEnsurePhasesOfTheFirstDeploymentDoesTheSame(Sandbox sandbox) throws Exception {
        SandboxAccount account = SandboxAccount.of(sandbox, Lanes.account(ACCOUNTS, 2));
        DemoRepo demo = DemoRepo.create(tmp.resolve("int"), sandbox, account, daemon::url);
        Invariants.History before = Invariants.History.of(demo.repo.bare);

        Interrupted run = interrupt(sandbox, demo, "INT", Pattern.compile("\\[demo\\] .*creating iam-role"));

        run.assertInterrupted("INT");
        assertNoLock(account);
        demo.removeReviewOnlyStacks(); // none expected (interrupted before the stack), as CrashApplyIT does
        finishedByTheNextApply(demo, before);
    }

    /**
     * SIGINT while the apply waits in line for the lock someone else holds (--lock-wait): it exits 130 saying its place
     * in line was given up, and once the holder releases the lock a run without --lock-wait takes it at once (a ticket
     * left behind would refuse it, "others wait", until the ticket ran out a minute later).
     */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void sigintWhileWaitingInLineGivesUpThePlaceForTheRunsBehind(Sandbox sandbox) throws Exception {
        SandboxAccount account = SandboxAccount.of(sandbox, Lanes.account(ACCOUNTS, 3));
        DemoRepo demo = DemoRepo.create(tmp.resolve("line"), sandbox, account, daemon::url);
        Path report = demo.dir.resolve("interrupted.json");
        try (AwsClients aws = account.clients()) {
            StackLock lock = new StackLock(aws, Sandbox.REGION, "datomic-gitops-locks", Log.NONE, Clock.systemUTC());
            StackLock.Lease ops = lock.acquire(STACK, "ops", "by hand", Duration.ofMinutes(10), Duration.ZERO);
            ChildApply child = ChildApply.startApart(ChildApply.FAST_START,
                    demo.applyArgs(demo.repo.clone, report, "--lock-wait", "5m"), demo.env(sandbox.endpoint()));
            Pattern waiting = Pattern.compile("lock: " + STACK + " is held by ops .*; waiting, 1st in line");
            assertThat(child.awaitLine(waiting, 120_000)).as("the child waits in line:\n%s", child.output()).isTrue();
            Assumptions.assumeFalse(child.ignores(2), "the child ignores SIGINT (inherited)");
            child.signal("INT");
            int status = child.waitFor(30_000);
            demo.outputs.add(child.output() + "\n" + String.join("\n", child.errLines()));
            assertThat(status).as("exit code; stderr:\n%s", String.join("\n", child.errLines())).isEqualTo(130);
            JsonNode error = Json.mapper().readTree(Files.readString(report)).path("error");
            assertThat(error.path("message").asText()).startsWith("interrupted by SIGINT after: ")
                    .endsWith("; its place in line for the lock on " + STACK + " was given up");

            ops.close();
            try (StackLock.Lease next = lock.acquire(STACK, "next", "by hand", Duration.ofMinutes(10), Duration.ZERO)) {
                assertThat(next.holder().who()).as("taken at once: no one left in line").isEqualTo("next");
            }
        }
    }

    record Interrupted(ChildApply child, int status, Path report) {
        void assertInterrupted(String signal) throws Exception {
            String stdout = child.output();
            List<String> stderr = child.errLines();
            assertThat(status).as("exit code; stdout:\n%s\nstderr:\n%s", stdout, String.join("\n", stderr)).isEqualTo(130);

            JsonNode json = Json.mapper().readTree(Files.readString(report));
            assertThat(json.path("status").asText()).isEqualTo("interrupted");
            assertThat(json.path("exitCode").asInt()).isEqualTo(130);
            JsonNode error = json.path("error");
            assertThat(error.path("where").asText()).isEqualTo("apply, stack " + STACK);
            assertThat(error.path("message").asText()).startsWith("interrupted by SIG" + signal + " after: [demo] ")
                    .endsWith("; the lock on " + STACK + " was released");
            assertThat(error.path("todo").asText()).startsWith("run apply again: it finishes from where it stopped");
            assertThat(error.path("exitCode").asInt()).isEqualTo(130);
            // where it stopped: the last progress line the run printed
            String lastStep = error.path("message").asText().replaceFirst("^interrupted by SIG" + signal + " after: ", "")
                    .replaceFirst("; the lock on .* was released$", "");
            assertThat(stdout.lines().filter(l -> l.matches("\\d\\d:\\d\\d:\\d\\d .*")).reduce((a, b) -> b).orElseThrow())
                    .endsWith(" " + lastStep);

            // one line on stderr says it, and it is the last one
            assertThat(stderr).filteredOn(l -> l.startsWith("error: ")).singleElement()
                    .satisfies(l -> assertThat(l).startsWith(String.format(ERROR, signal))
                            .contains("; the lock on " + STACK + " was released (run apply again: it finishes from where it stopped"));
            assertThat(stderr.get(stderr.size() - 1)).startsWith("error: ");
            // the retries of the child's calls were said as they happened
            assertThat(stdout).contains("aws: CloudFormation DescribeStacks answered HTTP 500 (InternalFailure); retrying (attempt 2 of 10)");
        }
    }

    /** Starts apply as a child, waits for the line, sends the signal, and waits for the child's exit. */
    private static Interrupted interrupt(Sandbox sandbox, DemoRepo demo, String signal, Pattern after) throws Exception {
        Path report = demo.dir.resolve("interrupted.json");
        FaultProxy.Policy firstDescribeStacks = FaultProxy.firstOf(FaultProxy.Fault.ERROR_500, c -> c.operation().equals("DescribeStacks"));
        try (FaultProxy proxy = FaultProxy.start(sandbox.endpoint(), firstDescribeStacks, LATENCY_MILLIS, 0)) {
            ChildApply child = ChildApply.startApart(ChildApply.FAST_START, demo.applyArgs(report), demo.env(proxy.endpoint()));
            assertThat(child.awaitLine(after, 120_000)).as("the child reached /%s/:\n%s", after, child.output()).isTrue();
            // a shell that started the build in the background may have left SIGINT ignored: then it is not ours to test
            Assumptions.assumeFalse(signal.equals("INT") && child.ignores(2), "the child ignores SIGINT (inherited)");
            child.signal(signal);
            int status = child.waitFor(30_000);
            demo.outputs.add(child.output() + "\n" + String.join("\n", child.errLines()));
            return new Interrupted(child, status, report);
        }
    }

    /** The lock table holds no lock for the stack: the interrupted run released it (it did not just die). */
    private static void assertNoLock(SandboxAccount account) {
        try (AwsClients aws = account.clients()) {
            StackLock lock = new StackLock(aws, Sandbox.REGION, "datomic-gitops-locks", Log.NONE, Clock.systemUTC());
            assertThat(lock.holder(STACK)).as("the lock on " + STACK).isEmpty();
        }
    }

    /** The next apply takes the lock at once (no wait, no takeover) and finishes the deployment; the invariants hold. */
    private static void finishedByTheNextApply(DemoRepo demo, Invariants.History before) {
        DemoRepo.Run next = demo.apply(null);
        String output = next.out() + next.err();
        assertThat(next.ok()).as("the next apply:\n%s", output).isTrue();
        assertThat(output).contains("lock: " + STACK + " taken").doesNotContain("is held by").doesNotContain("process that died");
        assertThat(output).contains("tagged deploy/demo/");
        Invariants.Findings found = demo.check(before);
        assertThat(found.ok()).as("invariants: %s", found).isTrue();
    }
}
