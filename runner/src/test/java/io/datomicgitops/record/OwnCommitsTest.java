package io.datomicgitops.record;

import io.datomicgitops.git.CommitMessage;
import io.datomicgitops.git.GitAuth;
import io.datomicgitops.git.GitRepo;
import io.datomicgitops.report.Log;
import io.datomicgitops.report.Report;
import io.datomicgitops.testing.TestRepos;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tool's own commits are told by what they change, not by their message: a commit anyone may push with the
 * tool's committer and a {@code Phase:} trailer is the tool's only when the change is one the phase makes.
 */
class OwnCommitsTest {
    private static final PersonIdent TOOL = new PersonIdent("datomic-gitops", "datomic-gitops@localhost");
    private static final String TX = "stacks/prod/transactor.properties";
    private static final String TEMPLATE = "stacks/prod/cf.json";
    private static final String BASE = "protocol=ddb\naws-dynamodb-table=datomic\n# aws-transactor-role=\nmemory-index-max=512m\n";

    @TempDir
    Path tmp;

    GitRepo repo;
    Publisher publisher;

    @BeforeEach
    void checkOut() throws Exception {
        Path bare = TestRepos.bareWith(tmp, "main", Map.of(TX, BASE, "README.md", "config\n"));
        repo = GitRepo.checkout(bare.toUri().toString(), "main", tmp.resolve("work"), GitAuth.none(), Map.of(), Log.NONE);
        publisher = new Publisher(repo, TOOL, new Report("test", "apply", java.time.Clock.systemUTC()));
    }

    /** Writes the files and commits them as the tool would: its committer, a message of the phase. */
    private GitRepo.LocalCommit commit(String phase, Map<String, String> files) throws Exception {
        String before = repo.head();
        for (var e : files.entrySet()) Files.writeString(repo.directory().resolve(e.getKey()), e.getValue());
        repo.commit(files.keySet(), CommitMessage.of(phase, "prod", "write aws-transactor-role"), TOOL).orElseThrow();
        List<GitRepo.LocalCommit> made = repo.commitsBetween(before, repo.head());
        assertThat(made).hasSize(1);
        return made.get(0);
    }

    @Test
    void aNameTheToolGeneratesFilledInIsTheTools() throws Exception {
        GitRepo.LocalCommit c = commit("ensure-transactor", Map.of(TX, BASE.replace("# aws-transactor-role=\n",
                "# aws-transactor-role=\naws-transactor-role=datomic-aws-transactor-1\n")));
        assertThat(publisher.isOwn(c)).isTrue();
    }

    @Test
    void aForgedPhaseTrailerChangingAnotherKeyIsNotTheTools() throws Exception {
        GitRepo.LocalCommit c = commit("ensure-transactor", Map.of(TX, BASE.replace("memory-index-max=512m", "memory-index-max=4g")));
        assertThat(c.message()).contains("\nPhase: ensure-transactor\n");
        assertThat(c.committerEmail()).isEqualTo(TOOL.getEmailAddress());
        assertThat(publisher.isOwn(c)).isFalse();
        assertThat(new OwnCommits(repo, TOOL.getEmailAddress()).notOwn(c)).hasValueSatisfying(why -> assertThat(why).contains("memory-index-max"));
    }

    @Test
    void aForgedPhaseTrailerFillingAGeneratedKeyWithAChosenNameIsNotTheTools() throws Exception {
        GitRepo.LocalCommit c = commit("ensure-transactor", Map.of(TX, BASE.replace("# aws-transactor-role=\n",
                "# aws-transactor-role=\naws-transactor-role=ops-admin\n")));
        assertThat(publisher.isOwn(c)).isFalse();
    }

    @Test
    void aToolCommitChangesOneFileOfThePhaseInTheStackItNames() throws Exception {
        String filled = BASE.replace("# aws-transactor-role=\n", "# aws-transactor-role=\naws-transactor-role=datomic-aws-transactor\n");
        assertThat(publisher.isOwn(commit("ensure-transactor", Map.of(TX, filled, "README.md", "changed\n")))).as("two files").isFalse();
        assertThat(publisher.isOwn(commit("deploy", Map.of(TX, filled.replace("protocol=ddb", "protocol=dev"))))).as("a file deploy does not write").isFalse();
        assertThat(publisher.isOwn(commit("create-cf-template", Map.of(TEMPLATE, "{\"Resources\": {}}\n")))).as("the template").isTrue();
        assertThat(publisher.isOwn(commit("create-cf-template", Map.of(TEMPLATE, "not json")))).isFalse();
    }

    /** The record of a deployment of HEAD, committed as the tool does; returns the deployed commit. */
    private String deployed() throws Exception {
        String at = repo.head();
        String record = DeploymentRecord.builder().stack("prod").stackName("prod-transactor").region("us-east-1").deployedCommit(at)
                .configSha256("0".repeat(64)).startedAt("2026-12-01T10:00:00Z").finishedAt("2026-12-01T10:05:00Z").build().toJson();
        assertThat(publisher.isOwn(commit("deploy", Map.of("stacks/prod/deployment.json", record)))).isTrue();
        return at;
    }

    /** A person's change (not judged here), then the name the failed run's ensure phase wrote. */
    private String failedRun() throws Exception {
        commit("change", Map.of(TX, BASE.replace("memory-index-max=512m", "memory-index-max=4g")));
        return BASE.replace("memory-index-max=512m", "memory-index-max=4g")
                .replace("# aws-transactor-role=\n", "# aws-transactor-role=\naws-transactor-role=datomic-aws-transactor\n");
    }

    @Test
    void aReturnToTheDeployedConfigKeepingTheGeneratedNameIsTheTools() throws Exception {
        deployed();
        String named = failedRun();
        assertThat(publisher.isOwn(commit("ensure-transactor", Map.of(TX, named)))).isTrue();
        String returned = BASE.replace("# aws-transactor-role=\n", "# aws-transactor-role=\naws-transactor-role=datomic-aws-transactor\n");
        assertThat(new String(ReturnToDeployed.changes(repo, folder(), ReturnToDeployed.deployedCommit(repo, "HEAD", "stacks/prod").orElseThrow())
                .get("transactor.properties"), java.nio.charset.StandardCharsets.UTF_8)).as("the writer's return").isEqualTo(returned);
        GitRepo.LocalCommit back = commit(FailedDeployment.PHASE, Map.of(TX, returned, TEMPLATE, "{\"Resources\":{}}\n"));
        assertThat(new OwnCommits(repo, TOOL.getEmailAddress()).notOwn(back))
                .as("cf.json is not in the deployed commit: a return does not write it").hasValueSatisfying(why -> assertThat(why).contains("cf.json"));
    }

    @Test
    void aReturnIsTheToolsOnlyWhenEachFileIsBackToTheDeployedCommitWithTheNamesKept() throws Exception {
        deployed();
        String named = failedRun();
        commit("ensure-transactor", Map.of(TX, named));
        String returned = BASE.replace("# aws-transactor-role=\n", "# aws-transactor-role=\naws-transactor-role=datomic-aws-transactor\n");
        assertThat(publisher.isOwn(commit(FailedDeployment.PHASE, Map.of(TX, returned)))).isTrue();
    }

    @Test
    void aForgedReturnToAConfigThatWasNeverDeployedIsNotTheTools() throws Exception {
        deployed();
        commit("ensure-transactor", Map.of(TX, failedRun()));
        GitRepo.LocalCommit nameDropped = commit(FailedDeployment.PHASE, Map.of(TX, BASE));
        assertThat(publisher.isOwn(nameDropped)).as("a return that loses a generated name is not the tool's").isFalse();
        GitRepo.LocalCommit forged = commit(FailedDeployment.PHASE, Map.of(TX, BASE.replace("memory-index-max=512m", "memory-index-max=1g")));
        assertThat(new OwnCommits(repo, TOOL.getEmailAddress()).notOwn(forged)).hasValueSatisfying(why -> assertThat(why)
                .isEqualTo(TX + " is not its content at the deployed commit"));
    }

    @Test
    void aReturnWithoutADeploymentRecordIsNotTheTools() throws Exception {
        commit("ensure-transactor", Map.of(TX, failedRun()));
        assertThat(publisher.isOwn(commit(FailedDeployment.PHASE, Map.of(TX, BASE)))).isFalse();
    }

    @Test
    void anInterruptedReturnFinishedByRecoverIsTheTools() throws Exception {
        deployed();
        commit("ensure-transactor", Map.of(TX, failedRun()));
        String returned = BASE.replace("# aws-transactor-role=\n", "# aws-transactor-role=\naws-transactor-role=datomic-aws-transactor\n");
        assertThat(publisher.isOwn(commit(OwnCommits.RECOVER, Map.of(TX, returned)))).isTrue();
    }

    /** A run killed between writing the return and committing it: the next run commits it as the tool's and pushes it. */
    @Test
    void aReturnWrittenByAKilledRunIsCommittedAndPushedByTheNext() throws Exception {
        deployed();
        commit("ensure-transactor", Map.of(TX, failedRun()));
        repo.push(Publisher.PUSH_ATTEMPTS);
        String returned = BASE.replace("# aws-transactor-role=\n", "# aws-transactor-role=\naws-transactor-role=datomic-aws-transactor\n");
        new WriteJournal(repo.gitDirectory()).record(TX, returned.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Files.writeString(repo.directory().resolve(TX), returned);

        assertThat(publisher.resume()).containsExactly("committed " + TX + ", written by an interrupted run",
                "pushed 1 commit(s) an interrupted run had not pushed");
        assertThat(repo.commitsNotOnRemote()).isEmpty();
        assertThat(repo.readAtHead(TX)).contains(returned);
    }

    private io.datomicgitops.configrepo.StackFolder folder() {
        return io.datomicgitops.configrepo.StackFolder.named("prod", repo.directory());
    }
}
