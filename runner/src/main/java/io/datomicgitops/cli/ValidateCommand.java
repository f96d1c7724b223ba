package io.datomicgitops.cli;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.findings.DatomicChecks;
import io.datomicgitops.findings.Finding;
import io.datomicgitops.findings.FindingCodes;
import io.datomicgitops.findings.Findings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a stack's files as Datomic would read them (findings.DatomicChecks): types of known keys, unknown and
 * duplicate keys, required keys, the instance type, memory, secrets. Each finding is printed on one line and written
 * to the report; any error exits 3, warnings are printed and exit 0.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check a stack's transactor.properties, cf.properties and deploy.properties as Datomic would read "
                + "them: value types, unknown and duplicate keys, required keys, the instance type, heap vs the instance's "
                + "memory and object cache + memory index vs the heap, secrets in plain text and empty secrets "
                + "(codes: docs/FINDINGS.md); a secret placeholder outside the runner's allow-list (--secret-env, --secret-dir) "
                + "stops it with exit 3, as it stops plan and apply.",
                "FILE is one of the three files (its kind from its name, or --kind), or a stack folder (all three that exist "
                        + "in it). A single file is checked with its folder's other files, so checks across files work; "
                        + "only findings about the files named are reported.",
                "Each finding is printed on one line: severity, code, file:line, message; the report (--report) holds "
                        + "them as findings. deploy.properties' acknowledge=CODE,... marks warnings acknowledged; errors "
                        + "cannot be."},
        footer = {"", "Exit codes: 0 no error (warnings, acknowledged or not, are printed), 3 an error in a file "
                + "(or a file missing or unreadable), 64 bad arguments (e.g. a file of unknown kind)."})
public final class ValidateCommand extends BaseCommand {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "properties files or stack folders to check")
    List<Path> files;

    @Option(names = "--kind", paramLabel = "KIND", description = "transactor, cf or deploy (default: from the file name)")
    String kind;

    private enum Kind {
        TRANSACTOR("transactor.properties"), CF("cf.properties"), DEPLOY("deploy.properties");

        final String fileName;

        Kind(String fileName) {
            this.fileName = fileName;
        }
    }

    /** The files of one folder that were named, by kind (a second file of a kind, with --kind, starts another group). */
    private static final class Folder {
        final Path dir;
        final Map<Kind, Path> named = new EnumMap<>(Kind.class);

        Folder(Path dir) {
            this.dir = dir;
        }
    }

    /** Findings located in one file but about the other file too: kept when either file was named. */
    private static final Set<String> ACROSS_TX_AND_CF = Set.of(FindingCodes.CACHE_ABOVE_HEAP, FindingCodes.LITTLE_HEAP_HEADROOM);

    @Override
    protected ExitCode execute() {
        List<Folder> folders = new ArrayList<>();
        for (Path path : files) {
            if (Files.isDirectory(path)) {
                boolean any = false;
                for (Kind k : Kind.values()) {
                    Path f = path.resolve(k.fileName);
                    if (Files.exists(f)) {
                        name(folders, k, f);
                        any = true;
                    }
                }
                if (!any) {
                    throw new ToolException(ExitCode.INVALID_CONFIG, "no transactor.properties, cf.properties or "
                            + "deploy.properties in this folder", path.toString(), "name a stack folder, or the files themselves");
                }
            } else {
                name(folders, kindOf(path), path);
            }
        }

        List<Finding> reported = new ArrayList<>();
        int fileCount = 0;
        for (Folder folder : folders) {
            Map<Kind, PropertiesFile> read = new EnumMap<>(Kind.class);
            for (Kind k : Kind.values()) {
                Path named = folder.named.get(k);
                if (named != null) {
                    PropertiesFile file = PropertiesFile.read(named);
                    // what plan and apply would refuse: a placeholder outside the runner's allow-list (--secret-env, --secret-dir)
                    secrets().requireAllowed(file);
                    read.put(k, file);
                    fileCount++;
                } else {
                    sibling(folder, k).ifPresent(f -> read.put(k, f));
                }
            }
            List<Finding> found = DatomicChecks.check(Optional.ofNullable(read.get(Kind.TRANSACTOR)),
                    Optional.ofNullable(read.get(Kind.CF)), Optional.ofNullable(read.get(Kind.DEPLOY)), env());
            Set<String> namedFiles = new LinkedHashSet<>();
            folder.named.keySet().forEach(k -> namedFiles.add(read.get(k).name()));
            boolean txOrCf = folder.named.containsKey(Kind.TRANSACTOR) || folder.named.containsKey(Kind.CF);
            for (Finding f : found) {
                if (namedFiles.contains(Findings.file(f)) || (txOrCf && ACROSS_TX_AND_CF.contains(f.code()))) reported.add(f);
            }
        }

        report.addFindings(reported);
        reported.forEach(f -> console.println(f.toString()));
        List<Finding> errors = Findings.errors(reported);
        if (errors.isEmpty()) {
            console.println("ok: " + fileCount + " file(s) valid: " + Findings.summary(reported));
            return ExitCode.OK;
        }
        console.println(fileCount + " file(s) checked: " + Findings.summary(reported));
        Finding first = errors.get(0);
        String todo = errors.size() == 1 ? "fix it and run validate again"
                : "fix it and the " + (errors.size() - 1) + " other error(s) listed above, and run validate again";
        throw new ToolException(ExitCode.INVALID_CONFIG, first.message(), first.where(), todo);
    }

    private static void name(List<Folder> folders, Kind kind, Path file) {
        Path dir = file.toAbsolutePath().normalize().getParent();
        Path normalized = file.toAbsolutePath().normalize();
        for (Folder f : folders) {
            if (!f.dir.equals(dir)) continue;
            Path already = f.named.get(kind);
            if (already != null && already.toAbsolutePath().normalize().equals(normalized)) return; // named twice
            if (already == null) {
                f.named.put(kind, file);
                return;
            }
        }
        Folder f = new Folder(dir);
        f.named.put(kind, file);
        folders.add(f);
    }

    /** A file of the folder that was not named, for the checks across files; one that cannot be read is left out. */
    private static Optional<PropertiesFile> sibling(Folder folder, Kind kind) {
        Path any = folder.named.values().iterator().next();
        Path f = any.resolveSibling(kind.fileName);
        if (!Files.isRegularFile(f)) return Optional.empty();
        try {
            return Optional.of(PropertiesFile.read(f));
        } catch (ToolException e) {
            return Optional.empty();
        }
    }

    private Kind kindOf(Path file) {
        String k = kind != null ? kind : file.getFileName().toString();
        if (k.startsWith("transactor")) return Kind.TRANSACTOR;
        if (k.startsWith("cf")) return Kind.CF;
        if (k.startsWith("deploy")) return Kind.DEPLOY;
        throw new ToolException(ExitCode.USAGE, "cannot tell what kind of file this is", file.toString(),
                "name it transactor.properties, cf.properties or deploy.properties, or pass --kind");
    }
}
