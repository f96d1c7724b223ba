package io.datomicgitops.git;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.report.Log;
import io.datomicgitops.testing.GitDaemon;
import io.datomicgitops.testing.TestRepos;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** GitRepo against real repositories: bare repos on disk, and `git daemon` on loopback for the git:// push path. */
class GitRepoTest {
    private static final PersonIdent TOOL = new PersonIdent("datomic-gitops", "datomic-gitops@localhost");
    private static final String TX = "stacks/prod/transactor.properties";
    private static final String BASE = "protocol=ddb\n# aws-transactor-role=\nport=4334\n";

    @TempDir
    Path tmp;

    private Path bare() throws Exception {
        return TestRepos.bareWith(tmp, "main", Map.of(TX, BASE, "README.md", "config\n"));
    }

    private GitRepo checkout(Path bare, Path dir) {
        return GitRepo.checkout(bare.toUri().toString(), "main", dir, GitAuth.none(), Map.of(), Log.NONE);
    }

    @Test
    void clonesThenUpdatesToTheRemoteBranch() throws Exception {
        Path bare = bare();
        Path dir = tmp.resolve("work");
        try (GitRepo repo = checkout(bare, dir)) {
            assertThat(Files.readString(dir.resolve(TX))).isEqualTo(BASE);
        }
        String theirs = TestRepos.pushChange(bare, tmp.resolve("alice"), "main", Map.of("README.md", "changed\n"), "edit readme");
        try (GitRepo repo = checkout(bare, dir)) {
            assertThat(repo.head()).isEqualTo(theirs);
            assertThat(Files.readString(dir.resolve("README.md"))).isEqualTo("changed\n");
        }
    }

    /** A clone's hooks are the repo's (or a PR's) programs: the runner commits and pushes without running any. */
    @Test
    void runsNoHookOfTheClone() throws Exception {
        Path bare = bare();
        Path dir = tmp.resolve("work");
        Path ran = tmp.resolve("hook-ran");
        checkout(bare, dir).close();
        for (String hook : List.of("pre-commit", "commit-msg", "post-commit", "pre-push")) {
            Path script = dir.resolve(".git/hooks").resolve(hook);
            Files.createDirectories(script.getParent());
            Files.writeString(script, "#!/bin/sh\necho " + hook + " >> '" + ran + "'\nexit 0\n");
            script.toFile().setExecutable(true);
        }
        try (GitRepo repo = GitRepo.open(dir, GitAuth.none(), Map.of(), Log.NONE)) {
            Files.writeString(dir.resolve(TX), BASE + "aws-peer-role=mine\n");
            assertThat(repo.commit(List.of(TX), CommitMessage.of("ensure-transactor", "prod", "write aws-peer-role"), TOOL)).isPresent();
            repo.push(1);
        }
        assertThat(ran).doesNotExist();
    }

    @Test
    void refusesUncommittedChangesInsteadOfDiscardingThem() throws Exception {
        Path bare = bare();
        Path dir = tmp.resolve("work");
        checkout(bare, dir).close();
        Files.writeString(dir.resolve(TX), BASE + "aws-peer-role=mine\n");
        assertThatThrownBy(() -> checkout(bare, dir))
                .isInstanceOfSatisfying(ToolException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.GIT))
                .hasMessageContaining("uncommitted changes: " + TX);
        assertThat(Files.readString(dir.resolve(TX))).contains("aws-peer-role=mine");
    }

    @Test
    void refusesLocalCommitsTheRemoteDoesNotHave() throws Exception {
        Path bare = bare();
        Path dir = tmp.resolve("work");
        try (GitRepo repo = checkout(bare, dir)) {
            Files.writeString(dir.resolve(TX), BASE + "aws-peer-role=mine\n");
            repo.commit(List.of(TX), CommitMessage.of("ensure-transactor", "prod", "write aws-peer-role"), TOOL);
        }
        assertThatThrownBy(() -> checkout(bare, dir)).hasMessageContaining("has commits the remote does not have");
    }

    /**
     * The team purged a pushed commit (it held a key) with a force-push. A clone that still holds it is refused with
     * advice that does not publish it again, and nothing is pushed: the remote stays as the team left it.
     */
    @Test
    void aCloneHoldingACommitTheRemoteDroppedIsRefusedAndNothingIsPushed() throws Exception {
        Path bare = bare();
        Path dir = tmp.resolve("work");
        String purged;
        String before;
        try (GitRepo repo = checkout(bare, dir)) {
            before = repo.head();
            Files.writeString(dir.resolve("README.md"), "config\nlicense-key=plain-text-key\n");
            purged = repo.commit(List.of("README.md"), CommitMessage.of("note", "prod", "oops"), TestRepos.OPERATOR).orElseThrow();
            repo.push(1);
        }
        try (Git remote = Git.open(bare.toFile())) {
            var purge = remote.getRepository().updateRef("refs/heads/main");
            purge.setNewObjectId(org.eclipse.jgit.lib.ObjectId.fromString(before));
            purge.setForceUpdate(true);
            purge.update();
        }
        assertThatThrownBy(() -> checkout(bare, dir))
                .isInstanceOfSatisfying(ToolException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.GIT);
                    assertThat(e.todo()).contains("do not push them").contains("reset --hard origin/main").doesNotContain("push them,");
                })
                .hasMessageContaining("the remote's main no longer has").hasMessageContaining(purged.substring(0, 10));
        try (Git remote = Git.open(bare.toFile())) {
            assertThat(remote.getRepository().resolve("refs/heads/main").name()).as("the purge stands").isEqualTo(before);
        }
        try (Git clone = Git.open(dir.toFile())) {
            assertThat(clone.getRepository().resolve("refs/remotes/origin/main").name()).as("the refusal moved no ref of the clone")
                    .isEqualTo(purged);
        }
    }

    /**
     * A commit pushed on top of the tool's by someone whose clock is behind (dated years before it) is no purge: what
     * the remote holds is decided by reachability, not by the commits' dates.
     */
    @Test
    void aCommitOnTopDatedBeforeTheToolsIsNoPurge() throws Exception {
        Path bare = bare();
        Path dir = tmp.resolve("work");
        String tools;
        try (GitRepo repo = checkout(bare, dir)) {
            Files.writeString(dir.resolve(TX), BASE + "aws-peer-role=datomic-aws-peer\n");
            tools = repo.commit(List.of(TX), CommitMessage.of("ensure-transactor", "prod", "write aws-peer-role"), TOOL).orElseThrow();
            repo.push(1);
        }
        PersonIdent behind = new PersonIdent(TestRepos.OPERATOR, java.time.Instant.parse("2020-01-01T00:00:00Z"), java.time.ZoneOffset.UTC);
        String theirs;
        try (Git other = Git.cloneRepository().setURI(bare.toUri().toString()).setDirectory(tmp.resolve("olga").toFile()).call()) {
            Files.writeString(tmp.resolve("olga/README.md"), "notes\n");
            other.add().addFilepattern("README.md").call();
            theirs = other.commit().setMessage("readme").setAuthor(behind).setCommitter(behind).setSign(false).call().name();
            other.push().call();
        }
        try (GitRepo repo = checkout(bare, dir)) {
            assertThat(repo.head()).isEqualTo(theirs);
            assertThat(repo.commitsBetween(tools, theirs)).extracting(GitRepo.LocalCommit::id).containsExactly(theirs);
        }
    }

    @Test
    void aWrongBranchOrAMissingRepoIsOneClearError() throws Exception {
        Path bare = bare();
        assertThatThrownBy(() -> GitRepo.checkout(bare.toUri().toString(), "nope", tmp.resolve("a"), GitAuth.none(), Map.of(), Log.NONE))
                .hasMessageContaining("branch nope not found");
        assertThatThrownBy(() -> GitRepo.checkout(tmp.resolve("missing.git").toUri().toString(), "main", tmp.resolve("b"),
                GitAuth.none(), Map.of(), Log.NONE))
                .isInstanceOfSatisfying(ToolException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.GIT))
                .hasMessageContaining("repository not found");
    }

    @Test
    void commitsOnlyTheNamedPathsWithTrailers() throws Exception {
        Path dir = tmp.resolve("work");
        try (GitRepo repo = checkout(bare(), dir)) {
            Files.writeString(dir.resolve(TX), BASE + "aws-peer-role=datomic-aws-peer\n");
            Files.writeString(dir.resolve("README.md"), "unrelated edit\n");
            assertThat(repo.commit(List.of("stacks/prod/cf.properties"), CommitMessage.of("ensure-cf", "prod", "x"), TOOL))
                    .as("nothing changed in that path").isEmpty();
            String id = repo.commit(List.of(TX), CommitMessage.of("ensure-transactor", "prod", "write aws-peer-role")
                    .line("aws-peer-role=datomic-aws-peer").trailer("Build-URL", "https://ci/job/7/"), TOOL).orElseThrow();
            assertThat(repo.uncommittedChanges()).containsExactly("README.md");
            try (Git git = Git.open(dir.toFile())) {
                RevCommit c = git.log().setMaxCount(1).call().iterator().next();
                assertThat(c.name()).isEqualTo(id);
                assertThat(c.getFullMessage()).isEqualTo("ensure-transactor(prod): write aws-peer-role\n\naws-peer-role=datomic-aws-peer\n\n"
                        + "Phase: ensure-transactor\nStack: prod\nBuild-URL: https://ci/job/7/\n");
                assertThat(c.getCommitterIdent().getName()).isEqualTo("datomic-gitops");
            }
        }
    }

    @Test
    void whenTheRemoteMovedOnOtherFilesThePushRebasesAndKeepsBothCommits() throws Exception {
        Path bare = bare();
        Path dir = tmp.resolve("work");
        try (GitRepo repo = checkout(bare, dir)) {
            String theirs = TestRepos.pushChange(bare, tmp.resolve("alice"), "main", Map.of("README.md", "alice\n"), "alice edits readme");
            Files.writeString(dir.resolve(TX), BASE + "aws-peer-role=datomic-aws-peer\n");
            String ours = repo.commit(List.of(TX), CommitMessage.of("ensure-transactor", "prod", "x"), TOOL).orElseThrow();
            GitRepo.PushOutcome out = repo.push(3);
            assertThat(out.rebased()).isTrue();
            assertThat(out.attempts()).isEqualTo(2);
            assertThat(out.head()).isNotEqualTo(ours);
            List<String> remoteLog = log(bare);
            assertThat(remoteLog.get(0)).isEqualTo(out.head());
            assertThat(remoteLog.get(1)).isEqualTo(theirs);
            assertThat(remoteLog).hasSize(3);
        }
    }

    @Test
    void aConflictOnTheSameKeyStopsNamesBothCommitsAndLosesNothing() throws Exception {
        Path bare = bare();
        Path dir = tmp.resolve("work");
        try (GitRepo repo = checkout(bare, dir)) {
            String theirs = TestRepos.pushChange(bare, tmp.resolve("alice"), "main",
                    Map.of(TX, BASE.replace("port=4334", "port=4444")), "alice changes the port");
            Files.writeString(dir.resolve(TX), BASE.replace("port=4334", "port=5555"));
            String ours = repo.commit(List.of(TX), CommitMessage.of("ensure-transactor", "prod", "x"), TOOL).orElseThrow();
            assertThatThrownBy(() -> repo.push(3))
                    .isInstanceOfSatisfying(ToolException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.GIT))
                    .hasMessageContaining("conflict: the local commit " + ours.substring(0, 10))
                    .hasMessageContaining(theirs.substring(0, 10) + " (Olga Operator: alice changes the port)")
                    .hasMessageContaining("datomic-gitops/unpushed-" + ours.substring(0, 10));
            assertThat(repo.head()).as("the local commit is still checked out").isEqualTo(ours);
            assertThat(Files.readString(dir.resolve(TX))).contains("port=5555");
            assertThat(log(bare).get(0)).as("the remote is untouched").isEqualTo(theirs);
        }
    }

    @Test
    void gitLockFilesAndARebaseLeftByAKilledProcessAreClearedBeforeTheNextWrite() throws Exception {
        Path bare = bare();
        Path dir = tmp.resolve("work");
        try (GitRepo repo = checkout(bare, dir)) {
            // what a SIGKILL in the middle of an add or a ref update leaves behind
            Files.writeString(dir.resolve(".git/index.lock"), "");
            Files.writeString(dir.resolve(".git/refs/heads/main.lock"), "");
            Files.writeString(dir.resolve(TX), BASE + "aws-peer-role=datomic-aws-peer\n");
            assertThatThrownBy(() -> repo.commit(List.of(TX), CommitMessage.of("ensure-transactor", "prod", "x"), TOOL))
                    .as("without the clean-up, every later add fails").hasMessageContaining("add command");

            assertThat(repo.takeOverFromKilledRun()).containsExactlyInAnyOrder(
                    "removed index.lock, left by a git operation that was killed",
                    "removed refs/heads/main.lock, left by a git operation that was killed");
            String id = repo.commit(List.of(TX), CommitMessage.of("ensure-transactor", "prod", "x"), TOOL).orElseThrow();
            assertThat(repo.head()).isEqualTo(id);
        }
    }

    @Test
    void aRebaseLeftByAKilledProcessIsAbortedBackToTheCommitItStartedFrom() throws Exception {
        Path bare = bare();
        Path dir = tmp.resolve("work");
        try (GitRepo repo = checkout(bare, dir)) {
            TestRepos.pushChange(bare, tmp.resolve("alice"), "main", Map.of(TX, BASE.replace("port=4334", "port=4444")), "alice");
            Files.writeString(dir.resolve(TX), BASE.replace("port=4334", "port=5555"));
            String ours = repo.commit(List.of(TX), CommitMessage.of("ensure-transactor", "prod", "x"), TOOL).orElseThrow();
            try (Git git = Git.open(dir.toFile())) {
                git.fetch().call();
                // a rebase stopped half-way, as a process killed during it leaves the clone
                assertThat(git.rebase().setUpstream("origin/main").call().getStatus().isSuccessful()).isFalse();
                assertThat(git.getRepository().getRepositoryState().isRebasing()).isTrue();
            }
            assertThat(repo.takeOverFromKilledRun()).anyMatch(l -> l.startsWith("aborted a rebase left by a killed run"));
            assertThat(repo.head()).isEqualTo(ours);
            assertThat(Files.readString(dir.resolve(TX))).contains("port=5555");
        }
    }

    @Test
    void aSecondWriterOfTheSameCloneWaitsForTheFirst() throws Exception {
        Path bare = bare();
        Path dir = tmp.resolve("work");
        checkout(bare, dir).close();
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        Log collect = new Log() {
            @Override public void progress(String line) { lines.add(line); }
            @Override public void warn(String line) { lines.add(line); }
        };
        try (GitRepo first = GitRepo.open(dir, GitAuth.none(), Map.of(), Log.NONE)) {
            first.takeOverFromKilledRun();
            var second = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try (GitRepo repo = GitRepo.open(dir, GitAuth.none(), Map.of(), collect)) {
                    return repo.takeOverFromKilledRun();
                }
            });
            Thread.sleep(500);
            assertThat(second).as("the second run waits while the first holds the clone").isNotDone();
            assertThat(lines).anyMatch(l -> l.startsWith("git: waiting for another datomic-gitops run that is using this clone"));
            first.close();
            assertThat(second.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEmpty();
        }
    }

    @Test
    void pushesCommitsAndTagsOverGitDaemonOnLoopback() throws Exception {
        Path bare = bare();
        try (GitDaemon daemon = GitDaemon.start(tmp)) {
            Path dir = tmp.resolve("work");
            try (GitRepo repo = GitRepo.checkout(daemon.url(bare), "main", dir, GitAuth.none(), Map.of(), Log.NONE)) {
                Files.writeString(dir.resolve(TX), BASE + "aws-peer-role=datomic-aws-peer\n");
                String id = repo.commit(List.of(TX), CommitMessage.of("ensure-transactor", "prod", "x"), TOOL).orElseThrow();
                assertThat(repo.push(3).head()).isEqualTo(id);
                repo.tag("deploy/prod/20261128T120000Z", "deployed", TOOL);
                assertThat(repo.changedPaths(id + "~1")).containsExactly(TX);
            }
            assertThat(log(bare).get(0)).isNotNull();
            try (Git remote = Git.open(bare.toFile())) {
                assertThat(remote.tagList().call()).extracting(r -> r.getName()).containsExactly("refs/tags/deploy/prod/20261128T120000Z");
            }
        }
    }

    private static List<String> log(Path bare) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Git git = Git.open(bare.toFile())) {
            for (RevCommit c : git.log().call()) ids.add(c.name());
        }
        return ids;
    }

    @Test
    void lastCommitTouchingAnswersTheSameFromManyThreadsAtOnce() throws Exception {
        Path bare = bare();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String path = "stacks/s" + i + "/cf.json";
            expected.add(TestRepos.pushChange(bare, tmp.resolve("alice"), "main", Map.of(path, "{\"v\": " + i + "}\n"), "template " + i));
            TestRepos.pushChange(bare, tmp.resolve("alice"), "main", Map.of("README.md", "note " + i + "\n"), "note " + i);
        }
        try (GitRepo repo = checkout(bare, tmp.resolve("work"))) {
            // plan walks the history for each stack's template on the stack's own thread
            var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            try {
                List<java.util.concurrent.Future<java.util.Optional<String>>> answers = new ArrayList<>();
                for (int round = 0; round < 4; round++) {
                    for (int i = 0; i < 8; i++) {
                        String path = "stacks/s" + i + "/cf.json";
                        answers.add(pool.submit(() -> repo.lastCommitTouching(path)));
                    }
                }
                for (int k = 0; k < answers.size(); k++) {
                    assertThat(answers.get(k).get()).contains(expected.get(k % 8));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
