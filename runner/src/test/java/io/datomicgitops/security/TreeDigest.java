package io.datomicgitops.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The SHA-256 of every file under a directory, by relative path: two digests are equal when no file was added,
 * removed or changed. Used to prove that a command given bad input changed nothing in the clone or the remote.
 */
final class TreeDigest {
    private TreeDigest() {}

    /** Every regular file under dir (none when dir does not exist). */
    static Map<String, String> of(Path dir) {
        return of(dir, p -> true);
    }

    /** The files under dir whose relative path (with '/') passes the filter. */
    static Map<String, String> of(Path dir, Predicate<String> include) {
        Map<String, String> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (include.test(rel)) out.put(rel, sha256(Files.readAllBytes(p)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * A clone as an operator sees it: the working tree, HEAD and every ref, but not git's bookkeeping that a
     * read-only command may refresh (index stat data, FETCH_HEAD, reflogs, packed objects of a fetch).
     */
    static Map<String, String> ofClone(Path clone) {
        return of(clone, rel -> !rel.startsWith(".git/") || ofCloneKeeps(rel));
    }

    /**
     * A bare remote as its users see it: every ref and the commit it points at, HEAD and the config (git may repack
     * or garbage-collect objects in the background, which changes files but not what the remote holds).
     */
    static Map<String, String> ofRemote(Path bare) {
        Map<String, String> out = of(bare, rel -> rel.equals("HEAD") || rel.equals("config"));
        try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.open(bare.toFile())) {
            for (var ref : git.getRepository().getRefDatabase().getRefs()) {
                out.put(ref.getName(), ref.getObjectId() == null ? "-" : ref.getObjectId().name());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * A corpus case's folder, but for the remote and its seed (checked with {@link #ofRemote}), the command's own
     * report and plan, and the clone's git bookkeeping: a file here that appeared or changed was left behind.
     */
    static Map<String, String> ofCase(Path folder) {
        return of(folder, rel -> !rel.equals("report.json") && !rel.equals("plan.md") && !rel.startsWith("srv/")
                && (!rel.startsWith("clone/.git/") || ofCloneKeeps(rel.substring("clone/".length()))));
    }

    private static boolean ofCloneKeeps(String rel) {
        return rel.equals(".git/HEAD") || rel.equals(".git/config") || rel.startsWith(".git/refs/") || rel.equals(".git/packed-refs");
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
