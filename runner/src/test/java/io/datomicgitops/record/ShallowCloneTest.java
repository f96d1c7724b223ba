package io.datomicgitops.record;

import io.datomicgitops.configrepo.StackFolder;
import io.datomicgitops.git.CommitMessage;
import io.datomicgitops.git.GitAuth;
import io.datomicgitops.git.GitRepo;
import io.datomicgitops.git.ReviewBranch;
import io.datomicgitops.report.Log;
import io.datomicgitops.testing.TestRepos;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * checkout --depth: a shallow clone answers every read of history the way a full clone does, fetching only as deep as
 * the read needs. The stack's last deployment (its template commit, record and tag) lies 13 commits behind the tip of a
 * 44-commit history: deeper than the clone (3 commits), shallower than the whole history.
 */
class ShallowCloneTest {
    private static final PersonIdent TOOL = new PersonIdent("datomic-gitops", "datomic-gitops@localhost");
    private static final String CF = "stacks/demo/cf.properties";
    private static final String TEMPLATE = "stacks/demo/cf.json";
    private static final String NOTES = "NOTES.md";

    @TempDir
    Path tmp;

    @Test
    void aShallowCloneAnswersLikeAFullOneAndFetchesOnlyWhatAReadNeeds() throws Exception {
        Path bare = TestRepos.bareWith(tmp, "main", Map.of(CF, "aws-instance-type=m5.large\n"));
        notes(bare, 30, "old note");
        DeploymentHistoryTest.Deployed deployed;
        try (GitRepo repo = DeploymentHistoryTest.checkout(bare, tmp.resolve("deployer"))) {
            deployed = DeploymentHistoryTest.deploy(repo, tmp.resolve("deployer"), "20260101T100000Z", "{\"v\": 1}\n", "alice", null, List.of());
        }
        TestRepos.pushChange(bare, tmp.resolve("olga"), "main", Map.of(CF, "aws-instance-type=m5.xlarge\n"), "m5.xlarge");
        notes(bare, 10, "new note");

        Path fullDir = tmp.resolve("full");
        Path shallowDir = tmp.resolve("shallow");
        try (GitRepo full = DeploymentHistoryTest.checkout(bare, fullDir);
             GitRepo shallow = GitRepo.checkout(bare.toUri().toString(), "main", shallowDir, Optional.of(3), GitAuth.none(), Map.of(), Log.NONE)) {
            assertThat(shallow.isShallow()).isTrue();
            assertThat(full.isShallow()).isFalse();
            assertThat(commitsHeld(shallowDir)).as("3 commits of the branch, 3 of the tag").isEqualTo(6);
            // the deployment tag far behind the tip is there before any read (plan's last failure, apply's tag name)
            assertThat(shallow.tags(DeploymentHistory.tagPrefix("demo"))).isEqualTo(full.tags(DeploymentHistory.tagPrefix("demo")))
                    .extracting(GitRepo.TagRef::name).containsExactly("deploy/demo/20260101T100000Z");
            StackFolder fullStack = new StackFolder("demo", fullDir);
            StackFolder shallowStack = new StackFolder("demo", shallowDir);
            assertThat(DeploymentHistory.lastFailure(shallow, shallowStack)).isEqualTo(DeploymentHistory.lastFailure(full, fullStack));

            // a read the fetched commits answer fetches nothing
            Set<ObjectId> edge = edge(shallowDir);
            assertThat(shallow.lastCommitTouching(NOTES)).isEqualTo(full.lastCommitTouching(NOTES));
            assertThat(edge(shallowDir)).isEqualTo(edge);

            // the stack's template commit (plan's stack tag) and the files it deployed (apply's settings changed): 13 commits
            // back, fetched that deep, not to the first commit
            assertThat(shallow.lastCommitTouching(TEMPLATE)).isEqualTo(full.lastCommitTouching(TEMPLATE)).contains(deployed.deployedCommit());
            assertThat(shallow.readAt(deployed.deployedCommit(), CF)).isEqualTo(full.readAt(deployed.deployedCommit(), CF))
                    .contains("aws-instance-type=m5.large\n");
            assertThat(shallow.commit(deployed.recordCommit())).isEqualTo(full.commit(deployed.recordCommit()));
            assertThat(shallow.isShallow()).as("still shallow: the first old notes were not needed").isTrue();
            assertThat(commitsHeld(shallowDir)).isLessThan(commitsHeld(fullDir));

            // history walks the whole line (the oldest deployment's changes reach the first commit): the same answer
            assertThat(DeploymentHistory.read(shallow, shallowStack)).isEqualTo(DeploymentHistory.read(full, fullStack));
            assertThat(shallow.isShallow()).isFalse();

            // the tool's writes from a shallow clone: commit and push
            Files.writeString(shallowDir.resolve(TEMPLATE), "{\"v\": 2}\n");
            String pushed = shallow.commit(List.of(TEMPLATE), CommitMessage.of("create-cf-template", "demo", "regenerate cf.json"), TOOL).orElseThrow();
            assertThat(shallow.push(1).head()).isEqualTo(pushed);
        }
    }

    @Test
    void aReadOfHistoryBeforeTheEdgeOfADepthOneCloneGivesTheFullClonesAnswer() throws Exception {
        // failing first: the edge commit seems to add every file, so the tip was taken for the template's last change
        Path bare = TestRepos.bareWith(tmp, "main", Map.of(TEMPLATE, "{}\n"));
        notes(bare, 3, "note");
        try (GitRepo full = DeploymentHistoryTest.checkout(bare, tmp.resolve("full"));
             GitRepo shallow = GitRepo.checkout(bare.toUri().toString(), "main", tmp.resolve("shallow"), Optional.of(1), GitAuth.none(), Map.of(), Log.NONE)) {
            // someone pushes meanwhile: the deepening fetch must not move origin/main, which catch-up checked before it fast-forwards
            TestRepos.pushChange(bare, tmp.resolve("olga"), "main", Map.of(TEMPLATE, "{\"v\": 2}\n"), "their template");
            assertThat(shallow.lastCommitTouching(TEMPLATE)).isEqualTo(full.lastCommitTouching(TEMPLATE)).isNotEqualTo(Optional.of(full.head()));
            assertThat(shallow.lastCommitTouching("stacks/never/cf.json")).isEqualTo(full.lastCommitTouching("stacks/never/cf.json")).isEmpty();
            try (Git git = Git.open(tmp.resolve("shallow").toFile())) {
                assertThat(git.getRepository().resolve("refs/remotes/origin/main").name()).isEqualTo(full.head());
                assertThat(git.getRepository().getRefDatabase().getRefsByPrefix("refs/datomic-gitops/")).isEmpty();
            }
        }
    }

    @Test
    void driftUpdatesItsReviewBranchFromAShallowCloneWhoseEdgeIsNewerThanTheBranch() throws Exception {
        // failing first: the branch appeared after the shallow clone and its base lies behind the edge, so the walk of what
        // HEAD lacks took the operators' commits before the edge for someone's review work on the branch
        Path bare = TestRepos.bareWith(tmp, "main", Map.of(CF, "aws-instance-type=m5.large\n"));
        CommitMessage message = CommitMessage.of("drift", "demo", "bring git in line with AWS");
        try (GitRepo behind = DeploymentHistoryTest.checkout(bare, tmp.resolve("behind"))) {
            notes(bare, 3, "note");
            try (GitRepo shallow = GitRepo.checkout(bare.toUri().toString(), "main", tmp.resolve("shallow"), Optional.of(1), GitAuth.none(), Map.of(),
                    Log.NONE)) {
                assertThat(new ReviewBranch(behind, GitAuth.none(), Map.of())
                        .push("drift/demo", Map.of(CF, "aws-instance-type=m5.xlarge\n"), message, TOOL).outcome()).isEqualTo(ReviewBranch.Outcome.CREATED);
                ReviewBranch.Pushed pushed = new ReviewBranch(shallow, GitAuth.none(), Map.of())
                        .push("drift/demo", Map.of(CF, "aws-instance-type=m5.2xlarge\n"), message, TOOL);
                assertThat(pushed.outcome()).isEqualTo(ReviewBranch.Outcome.UPDATED);
            }
        }
    }

    /** Operators' commits that touch no stack, pushed at once. */
    private void notes(Path bare, int count, String text) throws Exception {
        Path clone = tmp.resolve("notes");
        try (Git git = Files.exists(clone) ? Git.open(clone.toFile())
                : Git.cloneRepository().setURI(bare.toUri().toString()).setBranch("main").setDirectory(clone.toFile()).call()) {
            git.pull().call();
            for (int i = 1; i <= count; i++) TestRepos.commitFiles(git, Map.of(NOTES, text + " " + i + "\n"), text + " " + i);
            git.push().setRemote("origin").add("main").call();
        }
    }

    private static Set<ObjectId> edge(Path clone) throws Exception {
        try (Git git = Git.open(clone.toFile())) {
            return Set.copyOf(git.getRepository().getObjectDatabase().getShallowCommits());
        }
    }

    private static int commitsHeld(Path clone) throws Exception {
        try (Git git = Git.open(clone.toFile())) {
            int n = 0;
            for (var ignored : git.log().all().call()) n++;
            return n;
        }
    }
}
