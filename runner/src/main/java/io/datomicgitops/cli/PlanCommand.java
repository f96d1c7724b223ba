package io.datomicgitops.cli;

import io.datomicgitops.ExitCode;
import io.datomicgitops.config.AtomicFiles;
import io.datomicgitops.deploy.Deployments;
import io.datomicgitops.deploy.SavedPlan;
import io.datomicgitops.deploy.PlanMarkdown;
import io.datomicgitops.configrepo.StackFolder;
import io.datomicgitops.deploy.StackPlan;
import io.datomicgitops.git.GitAuth;
import io.datomicgitops.git.GitRepo;
import io.datomicgitops.git.OwnFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** The read-only plan of a config change: what a reviewer reads in the PR and the approver sees in Jenkins. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Plan the selected stacks without changing anything: ensure plans, template diff, change set, "
                + "instances to replace, drift. Exit 0: nothing to do, 2: changes pending, other: error.")
public final class PlanCommand extends BaseCommand {
    @Mixin
    StackOptions stacks;

    @Option(names = "--plan-md", paramLabel = "FILE", defaultValue = "plan.md", description = "write the Markdown plan here (default: ${DEFAULT-VALUE})")
    Path planMd;

    @Option(names = "--out", paramLabel = "FILE",
            description = "save the plan for apply --plan FILE, which then refuses to do anything the plan does not say")
    Path out;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "8", description = "stacks planned at once (default: ${DEFAULT-VALUE})")
    int parallel;

    @Option(names = "--allow-downgrade", description = "plan a datomic-version below the one the stack runs (the release gate refuses it otherwise)")
    boolean allowDowngrade;

    @Option(names = "--skip-backup", description = "plan a datomic-version change of a running stack without deploy.properties' backup-command")
    boolean skipBackup;

    @Override
    protected Path defaultReportPath() {
        return Path.of("report.json");
    }

    /** A plan checks the placeholders against the allow-list and resolves none: a pull request's plan needs no secret. */
    @Override
    protected io.datomicgitops.config.Secrets secrets() {
        return super.secrets().checkOnly();
    }

    @Override
    protected Path cloneDir() {
        return stacks.dir;
    }

    /** Writes plan.md, prints a line per stack; true when a stack has changes. */
    static boolean writePlan(BaseCommand cmd, GitRepo repo, List<StackPlan> plans, Path planMd) {
        OwnFiles.keepOutOfClone(repo.directory(), planMd, cmd.console);
        AtomicFiles.write(planMd, cmd.console.redactor().redact(PlanMarkdown.render(plans, repo.head())));
        boolean changes = plans.stream().anyMatch(StackPlan::changes);
        for (StackPlan p : plans) cmd.console.println(p.stack() + ": " + p.summary().oneLine());
        cmd.console.println((changes ? "changes pending" : "nothing to do") + "; plan written to " + planMd);
        return changes;
    }

    @Override
    protected ExitCode execute() {
        try (GitRepo repo = GitRepo.open(stacks.dir, GitAuth.none(), env(), console)) {
            List<StackFolder> selected = stacks.selectToDeploy(repo);
            console.progress("plan: " + selected.size() + " stack(s): " + selected.stream().map(StackFolder::name).toList());
            List<StackPlan> plans = new Deployments(deployContext(stacks.allowances().withRelease(allowDowngrade, skipBackup)), report).plan(repo, selected, parallel);
            boolean changes = writePlan(this, repo, plans, planMd);
            Deployments.refuseErrors(plans); // written first: plan.md shows every finding
            if (out != null) {
                OwnFiles.keepOutOfClone(repo.directory(), out, console);
                SavedPlan.of(repo.head(), plans).write(out);
                console.println("saved plan written to " + out + " (apply it with: datomic-gitops apply --dir " + stacks.dir + " --plan " + out + ")");
            }
            return changes ? ExitCode.CHANGES_PENDING : ExitCode.OK;
        }
    }
}
