package io.datomicgitops.config;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;

/** Writes a file so that a crash leaves either the old or the new content, never a mix of both. */
public final class AtomicFiles {
    /** Names the temp files of an interrupted write, so a later run can tell them from anyone else's files. */
    static final String TEMP_MARK = ".datomic-gitops-";
    private static final java.util.regex.Pattern LEFTOVER = java.util.regex.Pattern.compile("\\..+\\.datomic-gitops-\\d+\\.tmp");

    private AtomicFiles() {}

    /**
     * Deletes the temp files a killed write left in a folder (never renamed, so they hold nothing the target lacks).
     * Returns how many were removed.
     */
    public static int removeLeftovers(Path dir) {
        // a linked folder leads out of the clone: what lies there is not this tool's to delete
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return 0;
        int removed = 0;
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> LEFTOVER.matcher(f.getFileName().toString()).matches()).toList()) {
                Files.deleteIfExists(p);
                removed++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not clean " + dir + ": " + e.getMessage(), e);
        }
        return removed;
    }

    /**
     * Writes content to target. A target that is a symbolic link is refused: writing through it would change a file
     * outside the folder (outside the clone), and renaming over it would replace the link with a copy of its target.
     */
    public static void write(Path target, byte[] content) {
        Path abs = target.toAbsolutePath();
        if (Files.isSymbolicLink(abs)) {
            throw new ToolException(ExitCode.INVALID_CONFIG, "a symbolic link: the tool never writes through a link nor replaces one",
                    target.toString(), "put the file itself in its place, not a link");
        }
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + abs.getFileName() + TEMP_MARK, ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            keepPermissions(abs, tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            syncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try { Files.deleteIfExists(tmp); } catch (IOException ignored) { /* best effort */ }
            }
        }
    }

    public static void write(Path target, String content) {
        write(target, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A temp file is created 0600; an existing file's mode (often 0644 in a checkout) is kept. */
    private static void keepPermissions(Path existing, Path tmp) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
        if (view == null) return;
        if (Files.exists(existing)) {
            view.setPermissions(Files.getPosixFilePermissions(existing));
        } else {
            view.setPermissions(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    /** The rename is durable only once the directory entry is flushed; not every platform allows it. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }
}
