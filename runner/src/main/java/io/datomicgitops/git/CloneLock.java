package io.datomicgitops.git;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.report.Log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One writing run per clone: an operating-system lock on a file in the clone's .git folder, which the kernel releases
 * when the process dies, SIGKILL included. Holding it proves that no other run of this tool is using the clone, so
 * whatever git lock files or half-done rebase are found then were left by a process that died.
 */
final class CloneLock implements AutoCloseable {
    private static final long POLL_MILLIS = 200;
    private static final long SAY_EVERY_MILLIS = 30_000;

    private final FileChannel channel;
    private final FileLock lock;

    private CloneLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Waits for the clone's lock (another run of the tool holds it only while it lives), saying so every 30 s. */
    static CloneLock acquire(Path gitDir, Log log) {
        Path file = gitDir.resolve("datomic-gitops").resolve("clone.lock");
        try {
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            long start = System.nanoTime();
            long said = -SAY_EVERY_MILLIS;
            while (true) {
                FileLock lock = tryLock(channel);
                if (lock != null) return new CloneLock(channel, lock);
                long waited = (System.nanoTime() - start) / 1_000_000;
                if (waited - said >= SAY_EVERY_MILLIS) {
                    log.progress("git: waiting for another datomic-gitops run that is using this clone (" + waited / 1000 + " s)");
                    said = waited;
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (IOException e) {
            throw new ToolException(ExitCode.GIT, "cannot lock the clone: " + e.getMessage(), file.toString(),
                    "check that the clone's .git folder is writable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException(ExitCode.FAILED, "interrupted while waiting for the clone's lock", file.toString(), "run again");
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // another run in this JVM holds it
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock dies with the channel or the process: nothing is left to undo
        }
    }
}
