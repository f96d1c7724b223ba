package io.datomicgitops.git;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.config.Redactor;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.errors.UnsupportedCredentialItem;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the runner authenticates to the config repo: an HTTPS token read from a named environment variable, an SSH
 * private key (optional passphrase from an environment variable; known_hosts honoured, a new host trusted only
 * with {@code acceptNewHostKey}), or nothing (local paths, git://). Secrets are registered with the redactor.
 */
public record GitAuth(
        Optional<String> tokenEnv,
        String tokenUser,
        Optional<Path> sshKey,
        Optional<String> passphraseEnv,
        boolean acceptNewHostKey,
        Optional<Path> knownHosts) {

    public static GitAuth none() {
        return new GitAuth(Optional.empty(), "x-access-token", Optional.empty(), Optional.empty(), false, Optional.empty());
    }

    /** Applies the credentials to a clone, fetch or push. */
    public <C extends TransportCommand<C, ?>> C apply(C command, Map<String, String> env) {
        if (tokenEnv.isPresent()) {
            String token = env.get(tokenEnv.get());
            if (token == null || token.isBlank()) {
                throw new ToolException(ExitCode.GIT, "the git token variable " + tokenEnv.get() + " is not set", "git",
                        "export " + tokenEnv.get() + " (in Jenkins: bind the token credential to it)");
            }
            Redactor.global().register(token);
            command.setCredentialsProvider(new UsernamePasswordCredentialsProvider(tokenUser, token));
        }
        if (sshKey.isPresent()) {
            Path key = sshKey.get();
            if (!Files.isReadable(key)) {
                throw new ToolException(ExitCode.GIT, "the SSH key " + key + " cannot be read", "git",
                        "check --ssh-key (in Jenkins: the sshUserPrivateKey credential's keyFileVariable)");
            }
            String passphrase = passphraseEnv.map(env::get).orElse(null);
            if (passphraseEnv.isPresent() && (passphrase == null || passphrase.isEmpty())) {
                throw new ToolException(ExitCode.GIT, "the SSH passphrase variable " + passphraseEnv.get() + " is not set", "git",
                        "export " + passphraseEnv.get() + " (in Jenkins: the sshUserPrivateKey credential's passphraseVariable)");
            }
            if (passphrase != null) Redactor.global().register(passphrase);
            SshdSessionFactory factory = sessionFactory(key);
            command.setTransportConfigCallback(transport -> {
                if (transport instanceof SshTransport ssh) ssh.setSshSessionFactory(factory);
            });
            command.setCredentialsProvider(new SshPrompts(passphrase, acceptNewHostKey));
        }
        return command;
    }

    private SshdSessionFactory sessionFactory(Path key) {
        Path home = Path.of(System.getProperty("user.home"));
        Path hosts = knownHosts.orElse(home.resolve(".ssh/known_hosts"));
        Path config;
        try {
            // JGit reads OpenSSH's config format: pin the key, the known_hosts file and the host-key policy.
            Path dir = Files.createTempDirectory("datomic-gitops-ssh");
            config = dir.resolve("config");
            Files.writeString(config, String.join("\n",
                    "Host *",
                    "  IdentityFile " + key.toAbsolutePath(),
                    "  IdentitiesOnly yes",
                    "  UserKnownHostsFile " + hosts.toAbsolutePath(),
                    "  StrictHostKeyChecking " + (acceptNewHostKey ? "accept-new" : "yes"),
                    "  PreferredAuthentications publickey",
                    ""), StandardCharsets.UTF_8);
            dir.toFile().deleteOnExit();
            config.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new ToolException(ExitCode.GIT, "cannot prepare the SSH configuration: " + e.getMessage(), "git",
                    "check that the temp directory is writable", e);
        }
        Path sshDir = hosts.toAbsolutePath().getParent();
        return new SshdSessionFactoryBuilder()
                .setHomeDirectory(home.toFile())
                .setSshDirectory(sshDir.toFile())
                .setConfigFile(f -> config.toFile())
                .setDefaultIdentities(f -> List.of(key.toAbsolutePath()))
                .setPreferredAuthentications("publickey")
                .build(new JGitKeyCache());
    }

    /** Answers JGit's SSH prompts: the key's passphrase, and "accept this new host key?" only when allowed. */
    private static final class SshPrompts extends CredentialsProvider {
        private final String passphrase;
        private final boolean acceptNew;

        SshPrompts(String passphrase, boolean acceptNew) {
            this.passphrase = passphrase;
            this.acceptNew = acceptNew;
        }

        @Override
        public boolean isInteractive() {
            return false;
        }

        @Override
        public boolean supports(CredentialItem... items) {
            for (CredentialItem i : items) {
                if (!(i instanceof CredentialItem.Password || i instanceof CredentialItem.YesNoType
                        || i instanceof CredentialItem.InformationalMessage)) return false;
            }
            return true;
        }

        @Override
        public boolean get(URIish uri, CredentialItem... items) throws UnsupportedCredentialItem {
            for (CredentialItem i : items) {
                if (i instanceof CredentialItem.Password p) {
                    if (passphrase == null) return false;
                    p.setValue(passphrase.toCharArray());
                } else if (i instanceof CredentialItem.YesNoType yn) {
                    yn.setValue(acceptNew);
                }
            }
            return true;
        }
    }
}
