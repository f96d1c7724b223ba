package io.datomicgitops.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A real git server on loopback: `git daemon` serving a base path over git://, with receive-pack (push) enabled. */
public final class GitDaemon implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path basePath;
    private final Path log;

    private GitDaemon(Process process, int port, Path basePath, Path log) {
        this.process = process;
        this.port = port;
        this.basePath = basePath;
        this.log = log;
    }

    /**
     * A port that was free a moment ago may be taken before git daemon binds it (the build runs test JVMs side by side,
     * each starting servers): then another port is tried. Only git daemon's own word that it listens ("Ready to
     * rumble", said with --verbose once bound) counts: a connection may reach someone else's server on that port.
     */
    public static GitDaemon start(Path basePath) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path log = Files.createTempFile("git-daemon", ".log");
            Process p = new ProcessBuilder(List.of("git", "daemon", "--verbose", "--reuseaddr", "--export-all",
                    "--enable=receive-pack", "--listen=127.0.0.1", "--port=" + port, "--base-path=" + basePath, basePath.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            for (int i = 0; i < 200 && p.isAlive() && !Files.readString(log).contains("Ready to rumble"); i++) Thread.sleep(25);
            if (p.isAlive() && Files.readString(log).contains("Ready to rumble")) return new GitDaemon(p, port, basePath, log);
            p.destroyForcibly();
            String said = Files.readString(log);
            Files.deleteIfExists(log);
            if (attempt == 5) throw new IOException("git daemon did not listen on " + port + ": " + said);
        }
    }

    /** git://127.0.0.1:port/<path relative to the base path> */
    public String url(Path repo) {
        return "git://127.0.0.1:" + port + "/" + basePath.relativize(repo).toString().replace('\\', '/');
    }

    @Override
    public void close() {
        process.destroy();
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temporary file; the machine's temp cleaner has it otherwise
        }
    }
}
