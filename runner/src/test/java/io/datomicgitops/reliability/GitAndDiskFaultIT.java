package io.datomicgitops.reliability;

import io.datomicgitops.ExitCode;
import io.datomicgitops.testing.GitHttpServer;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxAccount;
import io.datomicgitops.testing.SandboxExtension;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults outside AWS, each met by a real apply: a push the git server cuts mid-pack (git http-backend behind a server
 * that passes receive-pack half the pack and drops the connection), and a disk that fills during an atomic write (a
 * child apply whose files may not grow past a few kilobytes, the shell's {@code ulimit -f}). Each run stops with one
 * clear error and its documented exit code, nothing is half-written on the remote or in the clone, and the next run
 * finishes the deployment with the invariants holding. (Lock files a killed git leaves behind: GitRepoTest and
 * CrashApplyIT.)
 */
@ExtendWith(SandboxExtension.class)
class GitAndDiskFaultIT {
    static final long ACCOUNTS = 400_000_000_000L;
    /** Below the template (about 10 KB, and its journal entry) and above every other file an apply writes. */
    static final long FILE_LIMIT_KB = 8;

    @TempDir
    Path tmp;

    @Test
    void aPushCutMidPackStopsTheRunAndTheNextRunPushesWhatItKept(Sandbox sandbox) throws Exception {
        Figures figures = new Figures("GitAndDiskFaultIT.pushCutMidPack");
        GitHttpServer[] server = new GitHttpServer[1];
        DemoRepo demo = DemoRepo.create(tmp.resolve("push"), sandbox, SandboxAccount.of(sandbox, Lanes.account(ACCOUNTS, 1)), bare -> {
            try {
                server[0] = GitHttpServer.start(bare.getParent(), null);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return server[0].url(bare);
        });
        try (GitHttpServer git = server[0]) {
            Invariants.History before = Invariants.History.of(demo.repo.bare);
            List<String> problems = new ArrayList<>();
            // the first push of the run (a name written ahead, before AWS is touched), then a push mid-deployment
            for (int nth : new int[]{1, 3}) {
                String remoteHead = remoteHead(demo);
                git.cutPush(nth);
                DemoRepo.Run cut = demo.apply(null);
                System.out.println("GitAndDiskFaultIT: push " + nth + " cut: exit " + cut.exitCode() + ": " + cut.errorLine());
                figures.fault("PUSH_CUT", 1);
                figures.reached("PUSH_CUT", 1);
                assertThat(git.pushesCut()).as("the server cut a push").isEqualTo(nth == 1 ? 1 : 2);
                assertThat(cut.exitCode()).as(cut.err()).isEqualTo(ExitCode.GIT.code);
                cut.unclearFailure().ifPresent(problems::add);
                if (nth == 1) assertThat(remoteHead(demo)).as("nothing of a cut push reached the branch").isEqualTo(remoteHead);
                assertThat(keptAhead(demo)).as("the clone keeps the commit whose push was cut, on top of what the remote holds").isTrue();
                assertThat(fsck(demo.repo.bare)).as("the remote is whole").isZero();
            }
            DemoRepo.Run rerun = demo.apply(null);
            assertThat(rerun.exitCode()).as(rerun.err()).isZero();
            assertThat(rerun.out()).as("the next run pushes the commits the cut runs kept").contains("recovered: pushed");
            figures.converged(false);
            Invariants.Findings found = demo.check(before);
            figures.add(found);
            figures.run();
            figures.print();
            assertThat(problems).isEmpty();
            assertThat(found.ok()).as(found.toString()).isTrue();
        }
    }

    @Test
    void aDiskThatFillsDuringAnAtomicWriteStopsTheRunAndLosesNothing(Sandbox sandbox) throws Exception {
        Figures figures = new Figures("GitAndDiskFaultIT.diskFull");
        DemoRepo demo = DemoRepo.create(tmp.resolve("disk"), sandbox, SandboxAccount.of(sandbox, Lanes.account(ACCOUNTS, 2)));
        Invariants.History before = Invariants.History.of(demo.repo.bare);
        Path report = demo.dir.resolve("disk-full.json");
        List<String> jvm = new ArrayList<>(ChildApply.FAST_START);
        jvm.add("-XX:-UsePerfData"); // its 32 KB memory-mapped file would meet the limit first
        ChildApply child = ChildApply.startWithFileLimit(FILE_LIMIT_KB, jvm, demo.applyArgs(report), demo.env(null));
        int exit = child.waitFor(180_000);
        demo.outputs.add(child.output());
        List<String> errors = child.errLines().stream().filter(l -> l.startsWith("error: ")).toList();
        System.out.println("GitAndDiskFaultIT: disk full: exit " + exit + ": " + errors);
        figures.fault("FILE_TOO_LARGE", 1);
        figures.reached("FILE_TOO_LARGE", 1);

        assertThat(exit).as(child.output()).isEqualTo(ExitCode.FAILED.code);
        assertThat(errors).singleElement().asString().contains("File too large").contains("free space");
        assertThat(leftovers(demo.repo.clone)).as("no half-written file is left in the clone").isEmpty();
        assertThat(fsck(demo.repo.clone)).as("the clone's git objects are whole").isZero();

        DemoRepo.Run rerun = demo.apply(null);
        assertThat(rerun.exitCode()).as(rerun.err()).isZero();
        figures.converged(false);
        Invariants.Findings found = demo.check(before);
        figures.add(found);
        figures.run();
        figures.print();
        assertThat(found.ok()).as(found.toString()).isTrue();
    }

    private static String remoteHead(DemoRepo demo) throws Exception {
        try (Git git = Git.open(demo.repo.bare.toFile())) {
            return git.getRepository().resolve("refs/heads/main").name();
        }
    }

    /** The clone's HEAD is a commit the remote branch lacks, and holds all the remote branch holds. */
    private static boolean keptAhead(DemoRepo demo) throws Exception {
        try (Git clone = Git.open(demo.repo.clone.toFile()); org.eclipse.jgit.revwalk.RevWalk walk = new org.eclipse.jgit.revwalk.RevWalk(clone.getRepository())) {
            var head = walk.parseCommit(clone.getRepository().resolve("HEAD"));
            var remote = clone.getRepository().getObjectDatabase().has(org.eclipse.jgit.lib.ObjectId.fromString(remoteHead(demo)))
                    ? walk.parseCommit(org.eclipse.jgit.lib.ObjectId.fromString(remoteHead(demo))) : null;
            return remote != null && !head.equals(remote) && walk.isMergedInto(remote, head);
        }
    }

    /** git fsck's exit status: 0 when every object and ref is whole. */
    private static int fsck(Path repo) throws Exception {
        Process p = new ProcessBuilder("git", "-C", repo.toString(), "fsck", "--no-dangling", "--no-progress").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        int status = p.waitFor();
        if (status != 0) System.out.println("GitAndDiskFaultIT: git fsck " + repo + ":\n" + out);
        return status;
    }

    /** Temp files of an atomic write left in the clone's work tree. */
    private static List<Path> leftovers(Path clone) throws IOException {
        try (Stream<Path> files = Files.walk(clone)) {
            return files.filter(f -> !f.startsWith(clone.resolve(".git")) && f.getFileName().toString().contains(".datomic-gitops-")).toList();
        }
    }
}
