package io.datomicgitops.configrepo;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * One stack's folder in the config repo ({@code stacks/<name>/}): Datomic's two properties files, the generated
 * template, the deployment settings and the last deployment record.
 */
public record StackFolder(String name, Path repoRoot) {
    public static final String STACKS_DIR = "stacks";
    public static final String TRANSACTOR = "transactor.properties";
    public static final String CF = "cf.properties";
    public static final String TEMPLATE = "cf.json";
    public static final String DEPLOY = "deploy.properties";
    public static final String RECORD = "deployment.json";
    /** Every file the tool reads or writes in a stack folder. */
    public static final List<String> FILES = List.of(TRANSACTOR, CF, TEMPLATE, DEPLOY, RECORD);

    /**
     * The folder a command line names ({@code --stack}): one folder name under stacks/, never a path that leads
     * elsewhere ({@code ../../x}, {@code /etc}).
     */
    public static StackFolder named(String name, Path repoRoot) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\\")) {
            throw new ToolException(ExitCode.USAGE, "'" + name + "' is not the name of a folder under " + STACKS_DIR + "/", "--stack",
                    "pass a stack folder's name, e.g. --stack demo for " + STACKS_DIR + "/demo");
        }
        return new StackFolder(name, repoRoot);
    }

    public Path dir() {
        return repoRoot.resolve(STACKS_DIR).resolve(name);
    }

    /** The folder relative to the repo root, '/'-separated, as git names it. */
    public String relativeDir() {
        return STACKS_DIR + "/" + name;
    }

    public Path file(String fileName) {
        return dir().resolve(fileName);
    }

    /** A file's path relative to the repo root, as git names it. */
    public String gitPath(String fileName) {
        return relativeDir() + "/" + fileName;
    }

    /**
     * Refuses a folder whose files could lead outside the clone: stacks/ or the folder a symbolic link, or one of
     * the files the tool reads or writes anything but a regular file (a link, a folder, a FIFO, a device). Reading
     * through a link would deploy what lies outside the repo; writing through one would change it, or replace the
     * link with a copy of its target and push that.
     */
    public void requireInsideClone() {
        refuseLink(repoRoot.resolve(STACKS_DIR), STACKS_DIR);
        refuseLink(dir(), relativeDir());
        for (String f : FILES) {
            Path p = file(f);
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new ToolException(ExitCode.INVALID_CONFIG, (Files.isSymbolicLink(p) ? "a symbolic link" : "not a regular file")
                        + ": the tool reads and writes only regular files inside the clone", gitPath(f),
                        "commit the file itself in the stack folder, not a link or anything else");
            }
        }
    }

    private static void refuseLink(Path p, String gitPath) {
        if (Files.isSymbolicLink(p)) {
            throw new ToolException(ExitCode.INVALID_CONFIG, "a symbolic link: stack folders must lie inside the clone", gitPath,
                    "commit the folder itself under " + STACKS_DIR + "/, not a link");
        }
    }

    /**
     * The datomic engine runs {@code <datomic-home>/bin/datomic} with the runner's credentials in its environment: a
     * program inside the clone is one a pull request can supply. Refused when it lies inside the clone.
     */
    public void requireOutsideClone(Path datomicHome, String where) {
        Path root = realOrNormal(repoRoot);
        Path home = realOrNormal(datomicHome);
        if (home.startsWith(root)) {
            throw new ToolException(ExitCode.INVALID_CONFIG, "datomic-home " + datomicHome + " lies inside the config repo's clone",
                    where, "install the Datomic distribution outside the clone (e.g. on the Jenkins agent) and point datomic-home there");
        }
    }

    private static Path realOrNormal(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            return abs.toRealPath();
        } catch (java.io.IOException e) {
            return abs;
        }
    }
}
