package io.datomicgitops.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;

/** A real git server on loopback: `git daemon` serving a base path over git://, with receive-pack (push) enabled. */
public final class GitDaemon implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path basePath;

    private GitDaemon(Process process, int port, Path basePath) {
        this.process = process;
        this.port = port;
        this.basePath = basePath;
    }

    public static GitDaemon start(Path basePath) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(List.of("git", "daemon", "--reuseaddr", "--export-all", "--enable=receive-pack",
                "--listen=127.0.0.1", "--port=" + port, "--base-path=" + basePath, basePath.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        for (int i = 0; i < 100; i++) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return new GitDaemon(p, port, basePath);
            } catch (IOException notYet) {
                if (!p.isAlive()) throw new IOException("git daemon exited with " + p.exitValue());
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new IOException("git daemon did not listen on " + port);
    }

    /** git://127.0.0.1:port/<path relative to the base path> */
    public String url(Path repo) {
        return "git://127.0.0.1:" + port + "/" + basePath.relativize(repo).toString().replace('\\', '/');
    }

    @Override
    public void close() {
        process.destroy();
    }
}
