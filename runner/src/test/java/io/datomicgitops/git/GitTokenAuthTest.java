package io.datomicgitops.git;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.config.Redactor;
import io.datomicgitops.report.Log;
import io.datomicgitops.testing.GitHttpServer;
import io.datomicgitops.testing.TestRepos;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Clone and push over HTTP with a token read from a named variable, against git http-backend on loopback. */
class GitTokenAuthTest {
    private static final String TOKEN = "glpat-0123456789abcdef";

    @TempDir
    Path tmp;

    private static GitAuth token(String var) {
        return new GitAuth(Optional.of(var), "x-access-token", Optional.empty(), Optional.empty(), false, Optional.empty());
    }

    @Test
    void theTokenFromTheNamedVariableClonesAndPushesAndIsNeverPrinted() throws Exception {
        Path bare = TestRepos.bareWith(tmp.resolve("srv"), "main", Map.of("stacks/prod/deploy.properties", "stack-name=p\n"));
        try (GitHttpServer server = GitHttpServer.start(tmp.resolve("srv"), TOKEN)) {
            String url = server.url(bare);
            try (GitRepo repo = GitRepo.checkout(url, "main", tmp.resolve("a"), token("GIT_TOKEN"), Map.of("GIT_TOKEN", TOKEN), Log.NONE)) {
                Files.writeString(tmp.resolve("a/stacks/prod/deploy.properties"), "stack-name=p\nengine=native\n");
                String id = repo.commit(List.of("stacks/prod/deploy.properties"), CommitMessage.of("t", "prod", "over https"),
                        new PersonIdent("t", "t@x")).orElseThrow();
                assertThat(repo.push(2).head()).isEqualTo(id);
            }
            assertThat(Redactor.global().redact("token " + TOKEN)).isEqualTo("token ********");

            assertThatThrownBy(() -> GitRepo.checkout(url, "main", tmp.resolve("b"), token("GIT_TOKEN"), Map.of("GIT_TOKEN", "wrong-token-1"), Log.NONE))
                    .isInstanceOfSatisfying(ToolException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.GIT))
                    .hasMessageContaining("git authentication failed");
            assertThatThrownBy(() -> GitRepo.checkout(url, "main", tmp.resolve("c"), token("UNSET_VAR"), Map.of(), Log.NONE))
                    .hasMessageContaining("the git token variable UNSET_VAR is not set");
        }
    }
}
