package io.datomicgitops.cli;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.configrepo.StackFolder;
import io.datomicgitops.git.GitAuth;
import io.datomicgitops.git.GitRepo;
import io.datomicgitops.record.DeploymentHistory;
import io.datomicgitops.record.DeploymentHistory.Change;
import io.datomicgitops.record.DeploymentHistory.Deployment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** A stack's deployments from git: the deploy tags, the record at each, the commits each deployed, and what is pending. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = {"List a stack's deployments, newest first, from its deploy/<stack>/<UTC time> tags and the deployment.json "
                + "committed at each: time, deployed commit, approver, build, status, strategy, instances replaced, change set, "
                + "and the commits to stacks/<stack>/ each one deployed; first the commits to the folder not deployed yet. "
                + "Reads git only (run checkout first for the remote's tags). Exit 0."})
public final class HistoryCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "STACK", description = "the stack folder under stacks/ (e.g. demo)")
    String stack;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the config repo clone (see checkout)")
    Path dir;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "show the newest N deployments, 0 for all (default: ${DEFAULT-VALUE})")
    int limit;

    @Override
    protected ExitCode execute() {
        try (GitRepo repo = GitRepo.open(dir, GitAuth.none(), env(), console)) {
            String name = stack.replaceFirst("^" + StackFolder.STACKS_DIR + "/", "").replaceFirst("/$", "");
            StackFolder folder = new StackFolder(name, repo.directory());
            DeploymentHistory.History history = DeploymentHistory.read(repo, folder);
            if (history.total() == 0 && history.pending().isEmpty() && !Files.isDirectory(folder.dir())) {
                throw new ToolException(ExitCode.INVALID_CONFIG, "no stack folder " + folder.relativeDir() + " and no "
                        + DeploymentHistory.tagPrefix(name) + "* tag", repo.directory().toString(), "check the stack's name (the folder under stacks/)");
            }
            DeploymentHistory.History shown = history.limit(limit);
            lines(shown, folder).forEach(console::println);
            report.putStack(name, shown);
            return ExitCode.OK;
        }
    }

    /** What the console shows. */
    static List<String> lines(DeploymentHistory.History h, StackFolder folder) {
        List<String> out = new ArrayList<>();
        out.add(h.stack() + ": " + h.total() + " deployment(s)" + (h.deployments().size() < h.total() ? ", the newest " + h.deployments().size() + " shown" : "")
                + "; HEAD " + shortId(h.head()));
        if (h.pending().isEmpty()) {
            out.add("pending: nothing (every commit to " + folder.relativeDir() + "/ on this branch is deployed)");
        } else {
            out.add("pending: " + h.pending().size() + " commit(s) to " + folder.relativeDir() + "/ not deployed yet");
            changes(h.pending(), "  ", out);
        }
        for (Deployment d : h.deployments()) {
            if (d.failed()) {
                out.add(d.time() + "  " + d.tag() + "  FAILED (" + orDash(d.failure().result()) + ", " + orDash(d.status()) + ")");
                out.add("  attempted " + shortId(d.commit()) + ": " + d.failure().reason());
                if (d.failure().returnedBy() != null) {
                    out.add("  git returned to what AWS runs in " + shortId(d.failure().returnedBy()) + " (revert it through a pull request to try again)");
                }
            } else {
                out.add(d.time() + "  " + d.tag() + "  " + (d.status() == null ? "(no deployment.json at the tag)" : d.status()));
            }
            if (d.commit() != null && !d.failed()) {
                out.add("  commit " + shortId(d.commit()) + ", approved by " + orDash(d.approvedBy()) + ", build " + orDash(d.buildUrl()));
                out.add("  " + orDash(d.strategy()) + ": " + (d.instancesReplaced().isEmpty() ? "no instance replaced"
                        : d.instancesReplaced().size() + " instance(s) replaced (" + String.join(", ", d.instancesReplaced()) + ")"
                        + (d.downtimeSeconds() == null ? "" : ", " + d.downtimeSeconds() + " s without an InService transactor")));
                if (d.changeSetId() != null) out.add("  change set " + d.changeSetId());
            }
            if (!d.onBranch()) {
                out.add("  (tagged on a commit that is not on this branch: its changes are not listed)");
            } else {
                changes(d.changes(), "  changes: ", out);
            }
        }
        return out;
    }

    /** The operators' commits one a line, then the tool's own commits in one line. */
    private static void changes(List<Change> changes, String first, List<String> out) {
        String indent = " ".repeat(first.length());
        String prefix = first;
        LinkedHashSet<String> phases = new LinkedHashSet<>();
        int tool = 0;
        for (Change c : changes) {
            if (c.tool()) {
                tool++;
                phases.add(c.phase());
                continue;
            }
            out.add(prefix + shortId(c.id()) + " " + c.time() + " " + c.author() + ": " + c.subject() + (c.merge() ? " (merge)" : ""));
            prefix = indent;
        }
        if (tool > 0) out.add(prefix + "+ " + tool + " commit(s) by datomic-gitops (" + String.join(", ", phases) + ")");
        else if (prefix.equals(first) && !first.isBlank()) out.add(first + "none");
    }

    private static String shortId(String id) {
        return id == null ? "-" : id.substring(0, Math.min(10, id.length()));
    }

    private static String orDash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }
}
