package io.datomicgitops.record;

import io.datomicgitops.configrepo.StackFolder;
import io.datomicgitops.git.CommitMessage;
import io.datomicgitops.git.GitAuth;
import io.datomicgitops.git.GitRepo;
import io.datomicgitops.record.DeploymentHistory.Change;
import io.datomicgitops.record.DeploymentHistory.Deployment;
import io.datomicgitops.report.Log;
import io.datomicgitops.testing.TestRepos;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * history's reading of git, on real repositories: deployments made the way the applier makes them (the tool's commits,
 * deployment.json, an annotated deploy/<stack>/<time> tag), operators' changes (direct, merged with a merge commit, to
 * other stacks and other files), and what is pending.
 */
class DeploymentHistoryTest {
    private static final PersonIdent TOOL = new PersonIdent("datomic-gitops", "datomic-gitops@localhost");
    private static final String CF = "stacks/demo/cf.properties";
    private static final String TEMPLATE = "stacks/demo/cf.json";
    private static final String RECORD = "stacks/demo/deployment.json";

    @TempDir
    Path tmp;

    @Test
    void listsEachDeploymentNewestFirstWithWhatItDeployedAndThePendingChanges() throws Exception {
        Path bare = TestRepos.bareWith(tmp, "main", Map.of(CF, "aws-instance-type=m5.large\n", "stacks/other/cf.properties", "x=1\n",
                "README.md", "config\n"));
        Path dir = tmp.resolve("work");
        String initial;
        Deployed first;
        try (GitRepo repo = checkout(bare, dir)) {
            initial = repo.head();
            first = deploy(repo, dir, "20260101T100000Z", "{\"v\": 1}\n", "alice", "https://ci/job/1/", List.of());
        }
        // operators: a direct change to the stack, an unrelated README edit, a change to another stack, then a merged PR
        String bigger = TestRepos.pushChange(bare, tmp.resolve("olga"), "main", Map.of(CF, "aws-instance-type=m5.xlarge\n"), "m5.xlarge");
        TestRepos.pushChange(bare, tmp.resolve("olga"), "main", Map.of("README.md", "notes\n"), "readme");
        TestRepos.pushChange(bare, tmp.resolve("olga"), "main", Map.of("stacks/other/cf.properties", "x=2\n"), "other stack");
        String prCommit;
        String merge;
        try (Git olga = Git.open(tmp.resolve("olga").toFile())) {
            olga.checkout().setCreateBranch(true).setName("pr").call();
            prCommit = TestRepos.commitFiles(olga, Map.of(CF, "aws-instance-type=m5.xlarge\njava-xmx=4g\n"), "more heap");
            olga.checkout().setName("main").call();
            merge = olga.merge().include(olga.getRepository().resolve("pr")).setFastForward(MergeCommand.FastForwardMode.NO_FF)
                    .setCommit(true).setMessage("Merge pull request #2: more heap").call().getNewHead().name();
            olga.push().setRemote("origin").add("main").call();
        }
        Deployed second;
        try (GitRepo repo = checkout(bare, dir)) {
            second = deploy(repo, dir, "20260102T110000Z", "{\"v\": 2}\n", "bob", null, List.of("i-0aaa"));
        }
        String pending = TestRepos.pushChange(bare, tmp.resolve("olga"), "main", Map.of(CF, "aws-instance-type=m5.large\njava-xmx=4g\n"),
                "back to m5.large");
        TestRepos.pushChange(bare, tmp.resolve("olga"), "main", Map.of("README.md", "more notes\n"), "readme again");

        try (GitRepo repo = checkout(bare, dir)) {
            DeploymentHistory.History h = DeploymentHistory.read(repo, new StackFolder("demo", dir));
            assertThat(h.stack()).isEqualTo("demo");
            assertThat(h.head()).isEqualTo(repo.head());
            assertThat(h.total()).isEqualTo(2);
            assertThat(h.pending()).extracting(Change::id, Change::subject, Change::phase, Change::merge)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(pending, "back to m5.large", null, false));
            assertThat(h.pending().get(0).author()).isEqualTo("Olga Operator");

            Deployment d2 = h.deployments().get(0);
            assertThat(d2).isEqualTo(new Deployment("deploy/demo/20260102T110000Z", "2026-01-02T11:00:00Z", second.deployedCommit,
                    second.recordCommit, "demo-datomic-transactor", "UPDATE_COMPLETE", "bob", null, "surge", List.of("i-0aaa"), List.of("i-0bbb"),
                    0.0, "arn:aws:cloudformation:us-east-1:000000000000:changeSet/c-20260102T110000Z/1", "found", true, d2.changes(), null));
            // the merge commit stands for the pull request; the README and the other stack's commits are not the stack's
            assertThat(d2.changes()).extracting(Change::id, Change::subject, Change::phase, Change::merge).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(second.recordCommit, "deploy(demo): deployed demo-datomic-transactor", "deploy", false),
                    org.assertj.core.groups.Tuple.tuple(second.deployedCommit, "create-cf-template(demo): regenerate cf.json", "create-cf-template", false),
                    org.assertj.core.groups.Tuple.tuple(merge, "Merge pull request #2: more heap", null, true),
                    org.assertj.core.groups.Tuple.tuple(bigger, "m5.xlarge", null, false));
            assertThat(d2.changes()).extracting(Change::id).doesNotContain(prCommit);

            Deployment d1 = h.deployments().get(1);
            assertThat(d1).isEqualTo(new Deployment("deploy/demo/20260101T100000Z", "2026-01-01T10:00:00Z", first.deployedCommit,
                    first.recordCommit, "demo-datomic-transactor", "UPDATE_COMPLETE", "alice", "https://ci/job/1/", "surge", List.of(), List.of("i-0bbb"),
                    0.0, "arn:aws:cloudformation:us-east-1:000000000000:changeSet/c-20260101T100000Z/1", "found", true, d1.changes(), null));
            assertThat(d1.changes()).extracting(Change::id).containsExactly(first.recordCommit, first.deployedCommit, initial);

            assertThat(h.limit(1).deployments()).containsExactly(d2);
            assertThat(h.limit(1).total()).isEqualTo(2);
            assertThat(h.limit(0)).isEqualTo(h);
        }
    }

    @Test
    void aStackNeverDeployedHasEveryCommitToItsFolderPendingAndATagWithoutRecordIsStillListed() throws Exception {
        Path bare = TestRepos.bareWith(tmp, "main", Map.of(CF, "a=1\n"));
        Path dir = tmp.resolve("work");
        try (GitRepo repo = checkout(bare, dir)) {
            DeploymentHistory.History none = DeploymentHistory.read(repo, new StackFolder("demo", dir));
            assertThat(none.deployments()).isEmpty();
            assertThat(none.pending()).extracting(Change::subject).containsExactly("initial config");
            assertThat(DeploymentHistory.read(repo, new StackFolder("nope", dir)).pending()).isEmpty();

            repo.tag("deploy/demo/by-hand", "tagged by hand", TOOL);
            DeploymentHistory.History h = DeploymentHistory.read(repo, new StackFolder("demo", dir));
            assertThat(h.pending()).isEmpty();
            Deployment d = h.deployments().get(0);
            assertThat(d.record()).isEqualTo("missing");
            assertThat(d.commit()).isNull();
            assertThat(d.recordCommit()).isEqualTo(repo.head());
            assertThat(d.time()).as("no time in the name: the tagger's").isNotNull();
            assertThat(d.changes()).extracting(Change::subject).containsExactly("initial config");
        }
    }

    /** A person's commit dressed up as the tool's (its committer, a Phase trailer) is listed as theirs, not counted away. */
    @Test
    void aForgedPhaseTrailerDoesNotHideAChangeAmongTheToolsCommits() throws Exception {
        Path bare = TestRepos.bareWith(tmp, "main", Map.of(CF, "aws-instance-type=m5.large\n# java-xmx=\n"));
        Path dir = tmp.resolve("work");
        try (GitRepo repo = checkout(bare, dir)) {
            Files.writeString(dir.resolve(CF), "aws-instance-type=m5.large\n# java-xmx=\njava-xmx=2582m\n");
            String own = repo.commit(List.of(CF), CommitMessage.of("ensure-cf", "demo", "write java-xmx"), TOOL).orElseThrow();
            Files.writeString(dir.resolve(CF), "aws-instance-type=m5.24xlarge\n# java-xmx=\njava-xmx=2582m\n");
            String forged = repo.commit(List.of(CF), CommitMessage.of("ensure-cf", "demo", "write java-xmx"), TOOL).orElseThrow();
            List<Change> pending = DeploymentHistory.read(repo, new StackFolder("demo", dir)).pending();
            assertThat(pending).extracting(Change::id).startsWith(forged, own);
            assertThat(pending.get(0).tool()).as("the forged commit is a person's change").isFalse();
            assertThat(pending.get(1).tool()).as("the tool's own").isTrue();
            assertThat(pending.get(1).phase()).isEqualTo("ensure-cf");
        }
    }

    static GitRepo checkout(Path bare, Path dir) {
        return GitRepo.checkout(bare.toUri().toString(), "main", dir, GitAuth.none(), Map.of(), Log.NONE);
    }

    record Deployed(String deployedCommit, String recordCommit) {}

    /** What the applier commits and tags for one deployment (its ensure phases wrote nothing here). */
    @Test
    void twoDeploymentsWithinOneSecondEachGetTheirTagInTheirOrder() throws Exception {
        Path bare = TestRepos.bareWith(tmp, "main", Map.of(CF, "aws-instance-type=m5.large\n"));
        Path dir = tmp.resolve("work");
        try (GitRepo repo = checkout(bare, dir)) {
            java.time.Instant at = java.time.Instant.parse("2026-12-07T22:26:53.120Z");
            assertThat(DeploymentHistory.deploymentTag(repo, "demo", at)).isEqualTo("deploy/demo/20261207T222653Z");
            deploy(repo, dir, "20261207T222653Z", "{\"v\": 1}\n", "alice", null, List.of());
            // the second deployment of the same second: its tag is the next second's (the tag was refused before: exit 4)
            String second = DeploymentHistory.deploymentTag(repo, "demo", at.plusMillis(700));
            assertThat(second).isEqualTo("deploy/demo/20261207T222654Z");
            deploy(repo, dir, "20261207T222654Z", "{\"v\": 2}\n", "bob", null, List.of());
            assertThat(DeploymentHistory.deploymentTag(repo, "demo", at)).isEqualTo("deploy/demo/20261207T222655Z");
            assertThat(DeploymentHistory.deploymentTag(repo, "other", at)).as("per stack").isEqualTo("deploy/other/20261207T222653Z");
        }
    }

    static Deployed deploy(GitRepo repo, Path dir, String time, String template, String approver, String buildUrl,
                                   List<String> replaced) throws Exception {
        Files.writeString(dir.resolve(TEMPLATE), template);
        String deployed = repo.commit(List.of(TEMPLATE), CommitMessage.of("create-cf-template", "demo", "regenerate cf.json")
                .trailer("Approved-by", approver), TOOL).orElseThrow();
        DeploymentRecord record = DeploymentRecord.builder().stack("demo").stackName("demo-datomic-transactor").region("us-east-1")
                .deployedCommit(deployed).configSha256("f00d").status("UPDATE_COMPLETE").strategy("surge")
                .changeSetId("arn:aws:cloudformation:us-east-1:000000000000:changeSet/c-" + time + "/1")
                .instancesReplaced(replaced).instancesLaunched(List.of("i-0bbb")).downtimeSeconds(0.0)
                .approvedBy(approver).buildUrl(buildUrl).startedAt("2026-01-01T00:00:00Z").finishedAt("2026-01-01T00:01:00Z").build();
        Files.write(dir.resolve(RECORD), record.toJson().getBytes(StandardCharsets.UTF_8));
        String recordCommit = repo.commit(List.of(RECORD), CommitMessage.of("deploy", "demo", "deployed demo-datomic-transactor")
                .trailer("Approved-by", approver), TOOL).orElseThrow();
        repo.push(3);
        repo.tag("deploy/demo/" + time, "deployed demo-datomic-transactor at " + deployed, TOOL);
        return new Deployed(deployed, recordCommit);
    }
}
