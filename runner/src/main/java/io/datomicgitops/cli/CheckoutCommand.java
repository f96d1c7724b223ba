package io.datomicgitops.cli;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.record.Publisher;
import io.datomicgitops.git.GitRepo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Clones the config repo, or brings an existing clone up to the remote branch (never discarding local work). */
@Command(name = "checkout", mixinStandardHelpOptions = true,
        description = "Clone the config repo into DIR, or fetch and reset an existing clone to the remote branch. "
                + "Uncommitted changes and unpushed commits are refused, never discarded.")
public final class CheckoutCommand extends BaseCommand {
    @Option(names = "--repo", required = true, paramLabel = "URL", description = "config repo: https://, ssh://, git@host:path, git:// or a local path")
    String repo;

    @Option(names = "--branch", defaultValue = "main", paramLabel = "BRANCH", description = "branch (default: ${DEFAULT-VALUE})")
    String branch;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "where the clone lives")
    Path dir;

    @Option(names = "--depth", paramLabel = "N", description = "a new clone holds only the last N commits of each branch (and each "
            + "tag's commit); commands that read further back (history, the stack's last template change, the last deployment's "
            + "files) fetch what they need. An existing clone keeps its history. Default: the whole history")
    Integer depth;

    @Mixin
    GitOptions git;

    @Override
    protected Path defaultReportPath() {
        return Path.of("report.json");
    }

    @Override
    protected Path cloneDir() {
        return dir;
    }

    @Override
    protected ExitCode execute() {
        if (depth != null && depth < 1) {
            throw new ToolException(ExitCode.USAGE, "--depth must be 1 or more, not " + depth, "--depth",
                    "pass how many commits of each branch the clone holds (1: only the tip), or leave --depth out for the whole history");
        }
        if (java.nio.file.Files.isDirectory(dir.resolve(".git"))) {
            // a build killed mid-apply may have left its own writes here: finish them instead of refusing the clone
            try (GitRepo existing = GitRepo.open(dir, git.auth(), env(), console)) {
                new Publisher(existing, git.committer(env()), report).resume().forEach(l -> console.progress("recovered: " + l));
            }
        }
        try (GitRepo clone = GitRepo.checkout(repo, branch, dir, java.util.Optional.ofNullable(depth), git.auth(), env(), console)) {
            String head = clone.head();
            console.println("checked out " + branch + " at " + head.substring(0, 10) + " in " + dir);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("repo", repo);
            result.put("branch", branch);
            result.put("dir", dir.toString());
            result.put("head", head);
            result.put("shallow", clone.isShallow());
            report.addPhase(null, "checkout", "ok", java.time.Duration.ZERO, "checked out " + branch, result);
            return ExitCode.OK;
        }
    }
}
