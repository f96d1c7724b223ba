package io.datomicgitops.stack;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class StackTagsTest {
    @Test
    void namesTheToolTheRepoWithoutCredentialsAndTheCommit() {
        assertThat(StackTags.of(Optional.of("https://jenkins:ghp_s3cr3tT0ken@github.com/acme/datomic-config.git"), Optional.of("0123abc")))
                .containsExactly(
                        java.util.Map.entry(StackTags.TOOL, "datomic-gitops"),
                        java.util.Map.entry(StackTags.CONFIG_REPO, "https://github.com/acme/datomic-config.git"),
                        java.util.Map.entry(StackTags.COMMIT, "0123abc"));
    }

    @Test
    void keepsScpStyleAndLocalRepoNamesAndLeavesOutWhatIsNotGiven() {
        assertThat(StackTags.withoutCredentials("git@github.com:acme/config.git")).isEqualTo("git@github.com:acme/config.git");
        assertThat(StackTags.withoutCredentials("ssh://git@host:2222/acme/config.git")).isEqualTo("ssh://host:2222/acme/config.git");
        assertThat(StackTags.of(Optional.empty(), Optional.of(" "))).containsOnlyKeys(StackTags.TOOL);
    }
}
