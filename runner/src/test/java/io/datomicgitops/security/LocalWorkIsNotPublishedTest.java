package io.datomicgitops.security;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.record.Publisher;
import io.datomicgitops.git.CommitMessage;
import io.datomicgitops.git.GitAuth;
import io.datomicgitops.git.GitRepo;
import io.datomicgitops.report.Log;
import io.datomicgitops.report.Report;
import io.datomicgitops.testing.TestRepos;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A clone's unpushed commits are pushed on recovery only when they are the tool's own (an interrupted run's): an
 * operator's local commit is refused, never published behind their back.
 */
class LocalWorkIsNotPublishedTest {
    private static final PersonIdent TOOL = new PersonIdent("datomic-gitops", "datomic-gitops@localhost");

    @TempDir
    Path tmp;

    private String remoteHead(Path bare) throws Exception {
        try (Git git = Git.open(bare.toFile())) {
            return git.getRepository().resolve("refs/heads/main").name();
        }
    }

    @Test
    void anOperatorsLocalCommitIsRefusedAndTheRemoteKeepsItsHead() throws Exception {
        Path bare = TestRepos.bareWith(tmp.resolve("srv"), "main", Map.of("stacks/prod/deploy.properties", "stack-name=p\n"));
        String before = remoteHead(bare);
        try (GitRepo repo = GitRepo.checkout(bare.toUri().toString(), "main", tmp.resolve("clone"), GitAuth.none(), Map.of(), Log.NONE)) {
            try (Git git = Git.open(tmp.resolve("clone").toFile())) {
                TestRepos.commitFiles(git, Map.of("README.md", "my notes\n"), "local notes, not for the remote");
            }
            Publisher publisher = new Publisher(repo, TOOL, new Report("test", "apply", Clock.systemUTC()));
            assertThatThrownBy(publisher::resume).isInstanceOfSatisfying(ToolException.class, e -> {
                assertThat(e.exitCode()).isEqualTo(ExitCode.GIT);
                assertThat(e.getMessage()).contains("local commits that are not the tool's").contains("local notes, not for the remote")
                        .contains("push them through a pull request");
            });
        }
        assertThat(remoteHead(bare)).isEqualTo(before);
    }

    @Test
    void theToolsOwnUnpushedCommitIsPushed() throws Exception {
        Path bare = TestRepos.bareWith(tmp.resolve("srv"), "main", Map.of("stacks/prod/deploy.properties", "stack-name=p\n"));
        try (GitRepo repo = GitRepo.checkout(bare.toUri().toString(), "main", tmp.resolve("clone"), GitAuth.none(), Map.of(), Log.NONE)) {
            Files.writeString(tmp.resolve("clone/stacks/prod/cf.json"), "{}\n");
            String id = repo.commit(List.of("stacks/prod/cf.json"), CommitMessage.of("create-cf-template", "prod", "regenerate cf.json"), TOOL)
                    .orElseThrow();
            List<String> recovered = new Publisher(repo, TOOL, new Report("test", "apply", Clock.systemUTC())).resume();
            assertThat(recovered).containsExactly("pushed 1 commit(s) an interrupted run had not pushed");
            assertThat(remoteHead(bare)).isEqualTo(id);
        }
    }
}
