package io.datomicgitops.git;

import io.datomicgitops.report.Log;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The files a command writes for the operator (report.json, plan.md) go where the operator asked: by default the
 * current directory. When that is inside the clone the command works on ({@code plan --dir .}), the file is listed in
 * the clone's {@code .git/info/exclude}, git's own list of local ignores (never committed, never pushed): the next
 * checkout or apply does not take it for local work, {@code git status} does not show it, and no commit picks it up.
 */
public final class OwnFiles {
    static final String HEADER = "# datomic-gitops' own report and plan files, written into the clone by a run started in it";

    private OwnFiles() {}

    /** Lists {@code file} in the clone's .git/info/exclude when it lies inside the clone's work tree (else nothing). */
    public static void keepOutOfClone(Path clone, Path file, Log log) {
        if (clone == null || file == null) return;
        Path gitDir = clone.resolve(".git");
        if (!Files.isDirectory(gitDir)) return;
        try {
            Path root = clone.toRealPath();
            Path target = real(file.toAbsolutePath().normalize());
            if (!target.startsWith(root) || target.equals(root) || target.startsWith(root.resolve(".git"))) return;
            String pattern = "/" + escape(root.relativize(target).toString().replace(File.separatorChar, '/'));
            Path exclude = gitDir.resolve("info").resolve("exclude");
            String existing = Files.exists(exclude) ? Files.readString(exclude, StandardCharsets.UTF_8) : "";
            List<String> lines = existing.lines().toList();
            if (lines.contains(pattern)) return;
            StringBuilder add = new StringBuilder();
            if (!existing.isEmpty() && !existing.endsWith("\n")) add.append('\n');
            if (!lines.contains(HEADER)) add.append(HEADER).append('\n');
            add.append(pattern).append('\n');
            Files.createDirectories(exclude.getParent());
            Files.writeString(exclude, add, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException e) {
            log.warn("could not list " + file + " in the clone's .git/info/exclude (" + e.getMessage() + "): the next checkout "
                    + "may refuse it as local work; write it outside the clone (--report FILE, --plan-md FILE)");
        }
    }

    /** The path with its folder's symbolic links resolved (the file itself may not exist yet). */
    private static Path real(Path p) throws IOException {
        Path parent = p.getParent();
        return parent != null && Files.isDirectory(parent) ? parent.toRealPath().resolve(p.getFileName()) : p;
    }

    /** A path as a gitignore pattern that matches only itself: the pattern characters and trailing blanks escaped. */
    static String escape(String path) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\' || c == '*' || c == '?' || c == '[' || c == ']') out.append('\\');
            if (c == ' ' && path.substring(i).isBlank()) out.append('\\');
            out.append(c);
        }
        return out.toString();
    }
}
