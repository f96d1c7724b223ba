package io.datomicgitops.reliability;

import io.datomicgitops.testing.FaultProxy;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxAccount;
import io.datomicgitops.testing.SandboxExtension;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import static io.datomicgitops.reliability.Invariants.TX;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deployments that run into each other: a second and a third apply of the stack while the first holds its lock, and
 * a remote branch that moves while an apply runs. Every apply is a child process ({@code java -jar}); the one that
 * must still be running when the others act talks to AWS through 50 ms of latency per call, so it is.
 */
@ExtendWith(SandboxExtension.class)
class ConcurrencyIT {
    static final long ACCOUNTS = 400_000_000_000L;
    static final long SLOW_MILLIS = 50;
    static final Pattern LOCK_TAKEN = Pattern.compile("lock: .* taken");
    static final String FIRST_BUILD = "https://ci.example.com/job/deploy/1/";

    @TempDir
    Path tmp;

    @Test
    void whileOneApplyHoldsTheLockASecondIsRefusedNamingItAndAThirdWaitsThenFindsNothingLeftToDo(Sandbox sandbox) throws Exception {
        DemoRepo demo = demo(sandbox, 1);
        Path bob = demo.anotherClone("bob");
        Path carol = demo.anotherClone("carol");
        Invariants.History before = Invariants.History.of(demo.repo.bare);
        int aliceStatus;
        int bobStatus;
        int carolStatus;
        boolean aliceHeldItThroughout;
        ChildApply bobRun;
        ChildApply carolRun;
        // a second per AWS call while it holds the lock, so it still holds it when two more JVMs have started, planned
        // and joined the line; then at full speed
        try (FaultProxy slow = FaultProxy.start(sandbox.endpoint(), FaultProxy.none(), 1000, 0)) {
            ChildApply alice = ChildApply.start(ChildApply.FAST_START,
                    demo.applyArgs(demo.repo.clone, demo.dir.resolve("alice.json"), "--build-url", FIRST_BUILD), demo.env(slow.endpoint()));
            assertThat(alice.awaitLine(LOCK_TAKEN, 120_000)).as(alice.output()).isTrue();
            bobRun = ChildApply.start(ChildApply.FAST_START,
                    demo.applyArgs(bob, demo.dir.resolve("bob.json"), "--build-url", "https://ci.example.com/job/deploy/2/"), demo.env(null));
            carolRun = ChildApply.start(ChildApply.FAST_START,
                    demo.applyArgs(carol, demo.dir.resolve("carol.json"), "--build-url", "https://ci.example.com/job/deploy/3/", "--lock-wait", "5m"),
                    demo.env(null));
            bobStatus = bobRun.waitFor(120_000);
            aliceHeldItThroughout = alice.isAlive();
            assertThat(carolRun.awaitLine(Pattern.compile("; waiting, 1st in line"), 120_000)).as(carolRun.output()).isTrue();
            slow.latency(0);
            aliceStatus = alice.waitFor(300_000);
            carolStatus = carolRun.waitFor(300_000);
            demo.outputs.addAll(List.of(alice.output(), bobRun.output(), carolRun.output()));
            assertThat(aliceStatus).as(alice.output()).isZero();
        }
        assertThat(aliceHeldItThroughout).as("the first apply was still running when the second gave up").isTrue();
        assertThat(bobStatus).as(bobRun.output()).isEqualTo(6);
        assertThat(bobRun.output()).contains("is locked by").contains(FIRST_BUILD)
                .contains("datomic-gitops force-unlock demo --lock-id ").contains(" --dir " + bob.toAbsolutePath().normalize() + " --region us-east-1)");
        assertThat(carolStatus).as(carolRun.output()).isZero();
        assertThat(carolRun.output()).contains("nothing to do");
        assertThat(Files.readString(carol.resolve(TX))).as("the waiting clone caught up with the first apply's names")
                .contains("aws-transactor-role=datomic-aws-transactor");

        Invariants.Findings found = demo.check(before);
        assertThat(found.ok()).as(found.toString()).isTrue();
    }

    /**
     * While the first apply holds the lock, a second and then a third wait for it (--lock-wait): each says its place
     * in line, and they take the lock in the order they came, the second before the third, whichever looks first
     * after the first apply releases it.
     */
    @Test
    void twoAppliesWaitingForTheLockTakeItInTheOrderTheyCame(Sandbox sandbox) throws Exception {
        DemoRepo demo = demo(sandbox, 6);
        Path bob = demo.anotherClone("bob");
        Path carol = demo.anotherClone("carol");
        Invariants.History before = Invariants.History.of(demo.repo.bare);
        ChildApply bobRun;
        ChildApply carolRun;
        // a second per AWS call while it holds the lock, so it still holds it when two more JVMs have started, planned
        // and joined the line; then at full speed
        try (FaultProxy slow = FaultProxy.start(sandbox.endpoint(), FaultProxy.none(), 1000, 0)) {
            ChildApply alice = ChildApply.start(ChildApply.FAST_START,
                    demo.applyArgs(demo.repo.clone, demo.dir.resolve("alice.json"), "--build-url", FIRST_BUILD), demo.env(slow.endpoint()));
            assertThat(alice.awaitLine(LOCK_TAKEN, 120_000)).as(alice.output()).isTrue();
            bobRun = ChildApply.start(ChildApply.FAST_START, demo.applyArgs(bob, demo.dir.resolve("bob.json"),
                    "--build-url", "https://ci.example.com/job/deploy/2/", "--lock-wait", "5m"), demo.env(null));
            assertThat(bobRun.awaitLine(Pattern.compile("; waiting, 1st in line"), 120_000)).as(bobRun.output()).isTrue();
            carolRun = ChildApply.start(ChildApply.FAST_START, demo.applyArgs(carol, demo.dir.resolve("carol.json"),
                    "--build-url", "https://ci.example.com/job/deploy/3/", "--lock-wait", "5m"), demo.env(null));
            assertThat(carolRun.awaitLine(Pattern.compile("; waiting, 2nd in line after https://ci.example.com/job/deploy/2/ "), 120_000))
                    .as(carolRun.output()).isTrue();
            assertThat(alice.isAlive()).as("the first apply still held the lock when both waited").isTrue();
            slow.latency(0);
            assertThat(alice.waitFor(300_000)).as(alice.output()).isZero();
            assertThat(bobRun.waitFor(300_000)).as(bobRun.output()).isZero();
            assertThat(carolRun.waitFor(300_000)).as(carolRun.output()).isZero();
            demo.outputs.addAll(List.of(alice.output(), bobRun.output(), carolRun.output()));
        }
        assertThat(taken(bobRun.output())).as("the second apply took the lock before the third").isBefore(taken(carolRun.output()));
        Invariants.Findings found = demo.check(before);
        assertThat(found.ok()).as(found.toString()).isTrue();
    }

    /** When a run took the lock: its "lock: ... taken (lease until T" line, less the lease (the same for both). */
    private static java.time.Instant taken(String output) {
        java.util.regex.Matcher m = Pattern.compile("lock: \\S+ taken \\(lease until (\\S+),").matcher(output);
        assertThat(m.find()).as(output).isTrue();
        return java.time.Instant.parse(m.group(1));
    }

    @Test
    void commitsToOtherFilesPushedDuringTheApplyAreKeptUnderItsOwn(Sandbox sandbox) throws Exception {
        DemoRepo demo = demo(sandbox, 2);
        Invariants.History before = Invariants.History.of(demo.repo.bare);
        Race race = raceTheApply(demo, sandbox, "README.md", old -> "# our config\nreviewed by the team\n", "readme: team note");
        assertThat(race.status()).as(race.output()).isZero();
        assertThat(race.output()).contains("moved on the remote; rebasing");
        List<String> log = demo.repo.remoteLog().stream().map(RevCommit::getName).toList();
        assertThat(log.indexOf(race.theirs())).as("the apply's later commits land on top of theirs").isPositive();
        assertThat(demo.repo.remoteFile("README.md")).contains("reviewed by the team");
        Invariants.Findings found = demo.check(before);
        assertThat(found.ok()).as(found.toString()).isTrue();
    }

    @Test
    void aCommitToTheSameKeyPushedDuringTheApplyStopsItAndLosesNothing(Sandbox sandbox) throws Exception {
        DemoRepo demo = demo(sandbox, 3);
        Invariants.History before = Invariants.History.of(demo.repo.bare);
        Race race = raceTheApply(demo, sandbox, TX,
                tx -> tx.replace("# aws-transactor-role=\n", "# aws-transactor-role=\naws-transactor-role=team-transactor\n"),
                "use the team's transactor role");
        assertThat(race.status()).as(race.output()).isEqualTo(4);
        assertThat(race.output()).contains("conflict").contains(race.theirs().substring(0, 10)).contains("datomic-gitops/unpushed-")
                .containsPattern("(?m)^error: .+ \\(.+\\)$");
        assertThat(demo.repo.remoteLog().get(0).getName()).as("their commit stays on top of the remote").isEqualTo(race.theirs());
        assertThat(demo.repo.remoteLog()).extracting(RevCommit::getName).containsAll(before.commits());
        assertThat(demo.repo.remoteFile(TX)).as("the name written before their commit is kept").contains("aws-s3-log-bucket-id=datomic-logs-");
        try (Git git = Git.open(demo.repo.clone.toFile())) {
            Ref unpushed = git.branchList().call().stream().filter(r -> r.getName().startsWith("refs/heads/datomic-gitops/unpushed-"))
                    .findFirst().orElseThrow(() -> new AssertionError("no unpushed branch in the clone"));
            var repo = git.getRepository();
            try (var walk = org.eclipse.jgit.treewalk.TreeWalk.forPath(repo, TX, repo.parseCommit(unpushed.getObjectId()).getTree())) {
                assertThat(new String(repo.open(walk.getObjectId(0)).getBytes())).as("the generated name is kept on the unpushed branch")
                        .contains("aws-transactor-role=datomic-aws-transactor");
            }
        }
        try (var aws = demo.account.clients()) {
            assertThat(aws.iam().listRoleTags(r -> r.roleName("datomic-aws-transactor")).tags())
                    .as("the created role is tagged, so the next run finds it again").isNotEmpty();
        }
    }

    @Test
    void aCommitToAnotherKeyOfTheStackPushedDuringTheApplyStopsItBeforeItWritesOverThatChange(Sandbox sandbox) throws Exception {
        DemoRepo demo = demo(sandbox, 4);
        Invariants.History before = Invariants.History.of(demo.repo.bare);
        Race race = raceTheApply(demo, sandbox, TX, tx -> tx.replace("memory-index-max=512m\n", "memory-index-max=768m\n"),
                "more memory index");
        assertThat(race.status()).as(race.output()).isEqualTo(4);
        assertThat(race.output()).contains("the stack's files changed on the remote during the apply").contains(race.theirs().substring(0, 10))
                .contains("plan and apply again");
        assertThat(demo.repo.remoteFile(TX)).as("their change and the names written so far are both on the remote; " + race.output())
                .contains("memory-index-max=768m").contains("aws-s3-log-bucket-id=datomic-logs-").contains("aws-transactor-role=datomic-aws-transactor");

        DemoRepo.Run again = demo.apply(null);
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(demo.repo.remoteFile(TX)).contains("memory-index-max=768m");
        assertThat(demo.repo.remoteFile(Invariants.TEMPLATE)).as("the deployed template carries their change").contains("memory-index-max=768m");
        Invariants.Findings found = demo.check(before);
        assertThat(found.ok()).as(found.toString()).isTrue();
    }

    /**
     * Two stacks, one apply. While the first is deployed, someone opens the second's ingress to the world and pushes:
     * the first stack's next push is rebased onto their commit, so the clone holds it when the run reaches the second
     * stack. That change was never planned nor approved: the run stops before acting on the second stack, naming it.
     * (It used to deploy the second stack and record it as approved.)
     */
    @Test
    void aChangeToALaterStackPushedWhileAnEarlierOneDeploysStopsTheRunBeforeThatStack(Sandbox sandbox) throws Exception {
        DemoRepo demo = DemoRepo.create(tmp.resolve("run-5"), sandbox, SandboxAccount.of(sandbox, Lanes.account(ACCOUNTS, 5)), "other");
        String otherCf = "stacks/other/cf.properties";
        Race race = raceTheApply(demo, sandbox, otherCf, cf -> cf.replace("aws-ingress-cidrs=10.0.0.0/16", "aws-ingress-cidrs=0.0.0.0/0"),
                "open other's ingress");
        assertThat(race.status()).as(race.output()).isEqualTo(4);
        assertThat(race.output()).contains("stack files changed on the remote since this run's plan").contains(race.theirs().substring(0, 10))
                .contains("stopped before deploying other").containsPattern("(?m)^error: .+ \\(.+\\)$");
        assertThat(demo.repo.remoteFile("stacks/demo/deployment.json")).as("the first stack was deployed").isNotNull();
        assertThat(demo.repo.remoteFile(otherCf)).as("their change is kept for review").contains("aws-ingress-cidrs=0.0.0.0/0");
        assertThat(demo.repo.remoteFile("stacks/other/deployment.json")).as("no record of a deployment of the second stack").isNull();
        try (var aws = demo.account.clients()) {
            assertThat(aws.cloudFormation(null).listStacks().stackSummaries()).extracting(s -> s.stackName())
                    .containsExactly("demo-datomic-transactor");
            assertThat(aws.ec2(null).describeSecurityGroups().securityGroups()).flatExtracting(g -> g.ipPermissions())
                    .flatExtracting(p -> p.ipRanges()).extracting(r -> r.cidrIp()).doesNotContain("0.0.0.0/0");
        }
    }

    /** What a racing push did to an apply: the apply's exit status and output, and the commit pushed during it. */
    record Race(int status, String output, String theirs) {}

    /**
     * Starts an apply as a child process; once it has pushed its first generated name (the log bucket's), someone
     * else edits the file as the remote has it then and pushes, while the apply is held in CreateRole by a 1.5 s stall,
     * so that its next push meets their commit.
     */
    private Race raceTheApply(DemoRepo demo, Sandbox sandbox, String path, UnaryOperator<String> edit, String message) throws Exception {
        try (FaultProxy proxy = FaultProxy.start(sandbox.endpoint(), FaultProxy.firstOf(FaultProxy.Fault.STALL,
                c -> c.operation().equals("CreateRole")), 0, 1500)) {
            ChildApply apply = ChildApply.start(ChildApply.FAST_START, demo.applyArgs(demo.dir.resolve("apply.json")), demo.env(proxy.endpoint()));
            assertThat(apply.awaitLine(Pattern.compile("wrote aws-s3-log-bucket-id="), 120_000)).as(apply.output()).isTrue();
            String now = demo.repo.remoteFile(path);
            String theirs = demo.repo.push(Map.of(path, edit.apply(now == null ? "" : now)), message);
            int status = apply.waitFor(300_000);
            demo.outputs.add(apply.output());
            return new Race(status, apply.output(), theirs);
        }
    }

    private DemoRepo demo(Sandbox sandbox, long n) throws Exception {
        return DemoRepo.create(tmp.resolve("run-" + n), sandbox, SandboxAccount.of(sandbox, Lanes.account(ACCOUNTS, n)));
    }
}
