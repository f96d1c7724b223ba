package io.datomicgitops.record;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Remembers, inside the clone's .git folder, each file the tool is about to write and commit, with the hash of
 * its new content. A run killed between the write and the commit leaves an entry; the next run then knows the
 * changed file is the tool's own interrupted write (and commits it), not someone's local edit.
 */
final class WriteJournal {
    private final Path dir;

    WriteJournal(Path gitDir) {
        this.dir = gitDir.resolve("datomic-gitops").resolve("pending");
    }

    void record(String path, byte[] content) {
        try {
            Files.createDirectories(dir);
            io.datomicgitops.config.AtomicFiles.write(dir.resolve(key(path)), path + "\n" + sha256(content) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the journal in " + dir + ": " + e.getMessage(), e);
        }
    }

    void clear(String path) {
        try {
            Files.deleteIfExists(dir.resolve(key(path)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pending writes: path -> SHA-256 of the content the tool wrote. */
    Map<String, String> pending() {
        Map<String, String> out = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                if (lines.size() >= 2) out.put(lines.get(0), lines.get(1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String key(String path) {
        return sha256(path.getBytes(StandardCharsets.UTF_8)).substring(0, 32);
    }
}
