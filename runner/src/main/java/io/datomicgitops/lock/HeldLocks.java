package io.datomicgitops.lock;

import io.datomicgitops.config.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The stack locks a run in this clone holds, noted in the clone's .git folder while held. A run killed while holding
 * one leaves its note; the next run in the clone holds the clone's lock (so the writer of the note is dead) and
 * releases that lock at once, by its id, instead of leaving it to run out with its lease. A lock taken over by someone
 * else since has another id and is left alone.
 */
public final class HeldLocks {
    /** A lock a run of this clone took: enough to release it by id. */
    public record Entry(String stack, String region, String table, String lockId) {}

    private final Path dir;

    public HeldLocks(Path gitDir) {
        this.dir = gitDir.resolve("datomic-gitops").resolve("locks");
    }

    public void record(Entry e) {
        try {
            Files.createDirectories(dir);
            AtomicFiles.write(file(e.stack()), String.join("\n", e.stack(), e.region(), e.table(), e.lockId()) + "\n");
        } catch (IOException ex) {
            throw new UncheckedIOException("could not note the lock in " + dir + ": " + ex.getMessage(), ex);
        }
    }

    public void clear(String stack) {
        try {
            Files.deleteIfExists(file(stack));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The locks noted and not cleared: those of a run that died holding them (when the clone's lock is held). */
    public List<Entry> left() {
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                if (lines.size() >= 4) out.add(new Entry(lines.get(0), lines.get(1), lines.get(2), lines.get(3)));
                else Files.deleteIfExists(f); // cut short by the kill before the rename: no lock was noted
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private Path file(String stack) {
        return dir.resolve(HexFormat.of().formatHex(stack.getBytes(StandardCharsets.UTF_8)));
    }
}
