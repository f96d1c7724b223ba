package io.datomicgitops.git;

import io.datomicgitops.ToolException;
import io.datomicgitops.report.Log;
import io.datomicgitops.testing.GitSshServer;
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

/** Clone and push over SSH against a real SSH git server on loopback: key with passphrase, known_hosts, accept-new. */
class GitSshAuthTest {
    private static final String PASSPHRASE = "correct horse battery staple";

    @TempDir
    Path tmp;

    private GitAuth ssh(Path key, Path knownHosts, boolean acceptNew) {
        return new GitAuth(Optional.empty(), "x-access-token", Optional.of(key), Optional.of("KEY_PASSPHRASE"), acceptNew, Optional.of(knownHosts));
    }

    @Test
    void clonesAndPushesWithAPassphraseKeyAndRefusesAnUnknownHostUnlessAccepted() throws Exception {
        Path bare = TestRepos.bareWith(tmp.resolve("srv"), "main", Map.of("stacks/prod/deploy.properties", "stack-name=p\n"));
        Path key = tmp.resolve("id_ed25519");
        GitSshServer.keygen(key, PASSPHRASE);
        Path knownHosts = tmp.resolve("known_hosts");
        Map<String, String> env = Map.of("KEY_PASSPHRASE", PASSPHRASE);
        try (GitSshServer server = GitSshServer.start(tmp.resolve("srv"), Path.of(key + ".pub"), tmp.resolve("hostkey.ser"))) {
            String url = server.url(bare);

            assertThatThrownBy(() -> GitRepo.checkout(url, "main", tmp.resolve("a"), ssh(key, knownHosts, false), env, Log.NONE))
                    .isInstanceOf(ToolException.class)
                    .hasMessageContaining("--ssh-accept-new");

            try (GitRepo repo = GitRepo.checkout(url, "main", tmp.resolve("b"), ssh(key, knownHosts, true), env, Log.NONE)) {
                assertThat(Files.readString(knownHosts)).as("the accepted host key is remembered").contains("127.0.0.1");
                Files.writeString(tmp.resolve("b/stacks/prod/deploy.properties"), "stack-name=p\nreplace-strategy=surge\n");
                String id = repo.commit(List.of("stacks/prod/deploy.properties"),
                        CommitMessage.of("test", "prod", "over ssh"), new PersonIdent("t", "t@x")).orElseThrow();
                assertThat(repo.push(2).head()).isEqualTo(id);
            }
            // now the host is known: a strict run (no accept-new) works
            try (GitRepo repo = GitRepo.checkout(url, "main", tmp.resolve("c"), ssh(key, knownHosts, false), env, Log.NONE)) {
                assertThat(Files.readString(tmp.resolve("c/stacks/prod/deploy.properties"))).contains("surge");
            }
            // the wrong passphrase cannot unlock the key
            assertThatThrownBy(() -> GitRepo.checkout(url, "main", tmp.resolve("d"), ssh(key, knownHosts, false),
                    Map.of("KEY_PASSPHRASE", "wrong"), Log.NONE)).isInstanceOf(ToolException.class);
        }
    }
}
