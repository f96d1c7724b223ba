package io.datomicgitops.cli;

import io.datomicgitops.git.GitAuth;
import org.eclipse.jgit.lib.PersonIdent;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Git authentication and identity options, shared by the commands that fetch or push. */
public final class GitOptions {
    @Option(names = "--token-env", paramLabel = "VAR", description = "HTTPS: read the access token from this environment variable")
    String tokenEnv;

    @Option(names = "--token-user", paramLabel = "USER", defaultValue = "x-access-token",
            description = "HTTPS: user name sent with the token (default: ${DEFAULT-VALUE})")
    String tokenUser;

    @Option(names = "--ssh-key", paramLabel = "FILE", description = "SSH: private key file")
    Path sshKey;

    @Option(names = "--ssh-passphrase-env", paramLabel = "VAR", description = "SSH: read the key's passphrase from this environment variable")
    String passphraseEnv;

    @Option(names = "--ssh-accept-new", description = "SSH: trust a host key not yet in known_hosts (and add it); a changed key is still refused")
    boolean acceptNew;

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "SSH: known_hosts file (default: ~/.ssh/known_hosts)")
    Path knownHosts;

    @Option(names = "--committer-name", paramLabel = "NAME", description = "name of the tool's commits (default: DATOMIC_GITOPS_COMMITTER_NAME or datomic-gitops)")
    String committerName;

    @Option(names = "--committer-email", paramLabel = "EMAIL", description = "email of the tool's commits (default: DATOMIC_GITOPS_COMMITTER_EMAIL or datomic-gitops@localhost)")
    String committerEmail;

    public GitAuth auth() {
        return new GitAuth(Optional.ofNullable(tokenEnv), tokenUser == null ? "x-access-token" : tokenUser,
                Optional.ofNullable(sshKey), Optional.ofNullable(passphraseEnv), acceptNew, Optional.ofNullable(knownHosts));
    }

    /** The identity of the tool's commits; an approver is recorded in a trailer, never impersonated. */
    public PersonIdent committer(Map<String, String> env) {
        String name = committerName != null ? committerName : env.getOrDefault("DATOMIC_GITOPS_COMMITTER_NAME", "datomic-gitops");
        String email = committerEmail != null ? committerEmail : env.getOrDefault("DATOMIC_GITOPS_COMMITTER_EMAIL", "datomic-gitops@localhost");
        return new PersonIdent(name, email);
    }
}
