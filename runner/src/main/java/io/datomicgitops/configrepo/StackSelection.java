package io.datomicgitops.configrepo;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.git.GitRepo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Which stacks a command considers: the ones named, else the ones changed since a revision, else all. */
public final class StackSelection {
    private StackSelection() {}

    public static List<StackFolder> select(Path repoRoot, List<String> named, Optional<String> since, GitRepo repo) {
        if (named != null && !named.isEmpty()) {
            List<StackFolder> out = new ArrayList<>();
            for (String n : new TreeSet<>(named)) {
                StackFolder f = StackFolder.named(nameOf(n), repoRoot);
                if (!Files.exists(f.file(StackFolder.DEPLOY), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    throw new ToolException(ExitCode.INVALID_CONFIG, "no stack folder " + f.relativeDir() + " with a "
                            + StackFolder.DEPLOY, repoRoot.toString(), "check --stack; the stacks are: " + all(repoRoot)
                            .stream().map(StackFolder::name).toList());
                }
                out.add(f);
            }
            return out;
        }
        if (since.isPresent()) {
            Set<String> changed = new TreeSet<>();
            for (String path : repo.changedPaths(since.get())) {
                String[] parts = path.split("/");
                if (parts.length >= 3 && parts[0].equals(StackFolder.STACKS_DIR)) changed.add(parts[1]);
            }
            return all(repoRoot).stream().filter(f -> changed.contains(f.name())).toList();
        }
        return all(repoRoot);
    }

    /** Every folder under stacks/ that has a deploy.properties, by name. */
    public static List<StackFolder> all(Path repoRoot) {
        Path stacks = repoRoot.resolve(StackFolder.STACKS_DIR);
        if (!Files.isDirectory(stacks)) return List.of();
        try (Stream<Path> dirs = Files.list(stacks)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve(StackFolder.DEPLOY)))
                    .map(d -> new StackFolder(d.getFileName().toString(), repoRoot))
                    .sorted(java.util.Comparator.comparing(StackFolder::name))
                    .toList();
        } catch (IOException e) {
            throw new ToolException(ExitCode.INVALID_CONFIG, "cannot list " + stacks + ": " + e.getMessage(), stacks.toString(),
                    "check the config repo", e);
        }
    }

    /** "prod" and "stacks/prod" name the same stack. */
    private static String nameOf(String s) {
        String t = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        return t.startsWith(StackFolder.STACKS_DIR + "/") ? t.substring(StackFolder.STACKS_DIR.length() + 1) : t;
    }
}
