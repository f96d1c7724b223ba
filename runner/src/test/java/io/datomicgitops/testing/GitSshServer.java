package io.datomicgitops.testing;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.UploadPack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;

/**
 * A real git server over SSH on loopback (Apache MINA sshd with JGit's upload-pack and receive-pack): public-key
 * authentication against one authorized key, a host key of its own, repositories under a base path.
 */
public final class GitSshServer implements AutoCloseable {
    private final SshServer sshd;
    private final Path basePath;

    private GitSshServer(SshServer sshd, Path basePath) {
        this.sshd = sshd;
        this.basePath = basePath;
    }

    public static GitSshServer start(Path basePath, Path authorizedPublicKey, Path hostKeyFile) throws Exception {
        PublicKey authorized = PublicKeyEntry.parsePublicKeyEntry(Files.readString(authorizedPublicKey).trim())
                .resolvePublicKey(null, null, null);
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(0);
        sshd.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(hostKeyFile));
        sshd.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(key, authorized));
        sshd.setCommandFactory((channel, command) -> new GitCommand(command, basePath));
        sshd.start();
        return new GitSshServer(sshd, basePath);
    }

    public int port() {
        return sshd.getPort();
    }

    /** ssh://git@127.0.0.1:port/<path relative to the base path> */
    public String url(Path repo) {
        return "ssh://git@127.0.0.1:" + port() + "/" + basePath.relativize(repo).toString().replace('\\', '/');
    }

    /** The line a known_hosts file needs to trust this server. */
    public String knownHostsLine() throws Exception {
        PublicKey key = sshd.getKeyPairProvider().loadKeys(null).iterator().next().getPublic();
        return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(key);
    }

    /** Creates an SSH key pair with ssh-keygen (the tool operators use), with or without a passphrase. */
    public static void keygen(Path privateKey, String passphrase) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase == null ? "" : passphrase,
                "-C", "test", "-f", privateKey.toString())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IOException("ssh-keygen failed: " + out);
    }

    @Override
    public void close() throws IOException {
        sshd.stop(true);
    }

    /** git-upload-pack / git-receive-pack '<path>' served by JGit. */
    private static final class GitCommand implements Command, Runnable {
        private final String command;
        private final Path basePath;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;

        GitCommand(String command, Path basePath) {
            this.command = command;
            this.basePath = basePath;
        }

        @Override public void setInputStream(InputStream in) { this.in = in; }
        @Override public void setOutputStream(OutputStream out) { this.out = out; }
        @Override public void setErrorStream(OutputStream err) { this.err = err; }
        @Override public void setExitCallback(ExitCallback callback) { this.exit = callback; }

        @Override
        public void start(ChannelSession channel, Environment env) {
            new Thread(this, "git-ssh-" + command).start();
        }

        @Override
        public void run() {
            int code = 0;
            String[] parts = command.split(" ", 2);
            String path = parts.length > 1 ? parts[1].replace("'", "").replaceFirst("^/", "") : "";
            try (Repository repo = new FileRepositoryBuilder().setGitDir(basePath.resolve(path).toFile()).setMustExist(true).build()) {
                switch (parts[0]) {
                    case "git-upload-pack" -> new UploadPack(repo).upload(in, out, err);
                    case "git-receive-pack" -> new ReceivePack(repo).receive(in, out, err);
                    default -> code = 127;
                }
            } catch (IOException e) {
                code = 1;
            } finally {
                try { out.flush(); err.flush(); } catch (IOException ignored) { }
                exit.onExit(code);
            }
        }

        @Override
        public void destroy(ChannelSession channel) { }
    }
}
