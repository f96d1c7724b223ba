package io.datomicgitops.config;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where a placeholder may take a secret from: the operator's allow-list, set on the runner's command line and never
 * in the config repo (a pull request could otherwise name the runner's own credentials, /proc, a FIFO or a device,
 * and have it put into the instances' user data).
 *
 * <ul>
 *   <li>{@code ${env:NAME}}: the variables named with {@code --secret-env NAME}; without any, those whose name starts
 *       with {@code DATOMIC_} (e.g. DATOMIC_LICENSE_KEY). Never the runner's own credentials: AWS_* and
 *       DATOMIC_GITOPS_* (the git token, the SSH passphrase), named or not.</li>
 *   <li>{@code ${file:/path}}: an absolute path that resolves (links followed) under a directory given with
 *       {@code --secret-dir DIR}; without one, no file. A regular file of at most {@link #MAX_FILE_BYTES} bytes, so
 *       reading it never blocks (a FIFO) nor fills the memory (a device).</li>
 * </ul>
 *
 * @param envNames the variables named on the command line; empty: the default ({@code DATOMIC_*})
 * @param dirs     the directories named on the command line
 */
public record SecretSources(Set<String> envNames, List<Path> dirs) {
    static final String DEFAULT_PREFIX = "DATOMIC_";
    private static final List<String> NEVER = List.of("AWS_", "DATOMIC_GITOPS_");
    public static final int MAX_FILE_BYTES = 64 * 1024;

    public SecretSources {
        envNames = Set.copyOf(envNames);
        dirs = List.copyOf(dirs);
    }

    /** The default allow-list: DATOMIC_* variables, no file. */
    public static SecretSources defaults() {
        return new SecretSources(Set.of(), List.of());
    }

    public boolean allowsEnv(String name) {
        if (NEVER.stream().anyMatch(name::startsWith)) return false;
        return envNames.isEmpty() ? name.startsWith(DEFAULT_PREFIX) : envNames.contains(name);
    }

    /** Refuses a placeholder outside the allow-list, naming the file and line it is written at. */
    public void requireAllowed(PropertiesFile file, String key, String kind, String ref) {
        if (kind.equals("env")) {
            if (!allowsEnv(ref)) {
                throw new ToolException(ExitCode.INVALID_CONFIG, "'" + key + "' refers to the environment variable " + ref
                        + ", which is not on the runner's secret allow-list", file.where(key),
                        NEVER.stream().anyMatch(ref::startsWith)
                                ? "the runner's own credentials (AWS_*, DATOMIC_GITOPS_*) are never a placeholder's: bind the secret to another variable"
                                : "allow it on the runner's command line with --secret-env " + ref
                                        + (envNames.isEmpty() ? " (without --secret-env, only DATOMIC_* variables are)" : ""));
            }
        } else if (allowedFile(ref).isEmpty()) {
            throw new ToolException(ExitCode.INVALID_CONFIG, "'" + key + "' refers to the file " + ref
                    + ", which is not under a secret directory of the runner", file.where(key),
                    dirs.isEmpty() ? "allow its directory on the runner's command line with --secret-dir DIR (no file is allowed without one)"
                            : "put it under " + dirs.stream().map(Path::toString).toList() + " (--secret-dir), as an absolute path");
        }
    }

    /** The file a placeholder names, resolved (links followed as far as they exist), when it lies under a secret directory. */
    private Optional<Path> allowedFile(String ref) {
        Path p = Path.of(ref);
        if (!p.isAbsolute()) return Optional.empty();
        Path real = real(p);
        return dirs.stream().map(SecretSources::real).anyMatch(real::startsWith) ? Optional.of(real) : Optional.empty();
    }

    /**
     * A secret file's content, stripped: the placeholder must be allowed ({@link #requireAllowed}); only a regular file
     * of at most {@link #MAX_FILE_BYTES} is read.
     */
    public String readFile(PropertiesFile file, String key, String ref) {
        requireAllowed(file, key, "file", ref);
        Path real = allowedFile(ref).orElseThrow();
        try {
            BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                throw new ToolException(ExitCode.INVALID_CONFIG, "'" + key + "' refers to " + ref + ", which is not a regular file",
                        file.where(key), "point ${file:...} at a file holding the secret (not a FIFO, a device or a folder)");
            }
            if (a.size() > MAX_FILE_BYTES) {
                throw new ToolException(ExitCode.INVALID_CONFIG, "'" + key + "' refers to " + ref + ", which holds " + a.size()
                        + " bytes, more than a secret's " + MAX_FILE_BYTES, file.where(key), "point ${file:...} at the file holding only the secret");
            }
            return Files.readString(real, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new ToolException(ExitCode.INVALID_CONFIG, "'" + key + "' refers to the file " + ref + ", which cannot be read",
                    file.where(key), "create the file or fix the path in ${file:...}");
        }
    }

    /** The real path as far as it exists (a missing file is checked by where it would be). */
    private static Path real(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            return abs.toRealPath();
        } catch (IOException e) {
            Path parent = abs.getParent();
            return parent == null || parent.equals(abs) ? abs : real(parent).resolve(abs.getFileName());
        }
    }
}
