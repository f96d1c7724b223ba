package io.datomicgitops.cli;

import io.datomicgitops.ExitCode;
import io.datomicgitops.config.AtomicFiles;
import io.datomicgitops.config.ValueType;
import io.datomicgitops.deploy.Approval;
import io.datomicgitops.deploy.Deployments;
import io.datomicgitops.deploy.PlanMarkdown;
import io.datomicgitops.deploy.StackPlan;
import io.datomicgitops.git.GitRepo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** checkout + plan + apply in one call, for use outside Jenkins; applying without a person needs --auto-approve. */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "Check out the config repo, plan, and (with --auto-approve) apply: the whole flow in one call for a "
                + "shell or another CI. Without --auto-approve it stops after the plan (exit 2 when changes are pending).")
public final class DeployCommand extends BaseCommand {
    @Option(names = "--repo", required = true, paramLabel = "URL", description = "config repo URL or path")
    String repoUrl;

    @Option(names = "--branch", defaultValue = "main", paramLabel = "BRANCH", description = "branch (default: ${DEFAULT-VALUE})")
    String branch;

    @Mixin
    StackOptions stacks;

    @Mixin
    GitOptions git;

    @Option(names = "--auto-approve", description = "apply the plan without a person approving it")
    boolean autoApprove;

    @Option(names = "--approved-by", paramLabel = "ID", description = "recorded as the approver (default with --auto-approve: auto-approve)")
    String approvedBy;

    @Option(names = "--build-url", paramLabel = "URL", description = "recorded as the Build-URL trailer")
    String buildUrl;

    @Option(names = "--plan-md", paramLabel = "FILE", defaultValue = "plan.md", description = "write the Markdown plan here (default: ${DEFAULT-VALUE})")
    Path planMd;

    @Option(names = "--lock-wait", paramLabel = "DURATION", defaultValue = "0s", description = "wait this long for a stack's lock (default: ${DEFAULT-VALUE})")
    String lockWait;

    @Override
    protected Path defaultReportPath() {
        return Path.of("report.json");
    }

    @Override
    protected ExitCode execute() {
        try (GitRepo repo = GitRepo.checkout(repoUrl, branch, stacks.dir, git.auth(), env(), console)) {
            List<StackPlan> plans = new Deployments(deployContext(stacks.missingNames()), report).plan(repo, stacks.select(repo), 8);
            AtomicFiles.write(planMd, console.redactor().redact(PlanMarkdown.render(plans, repo.head())));
            plans.forEach(p -> console.println(p.stack() + ": " + p.summary().oneLine()));
            List<String> changed = plans.stream().filter(StackPlan::changes).map(StackPlan::stack).toList();
            if (changed.isEmpty()) {
                console.println("nothing to do");
                return ExitCode.OK;
            }
            if (!autoApprove) {
                console.println("changes pending (plan in " + planMd + "); run again with --auto-approve to apply, or use plan/apply with an approval step");
                return ExitCode.CHANGES_PENDING;
            }
            stacks.stacks = changed;
            stacks.since = null;
            return ApplyCommand.run(this, repo, stacks, git, new Approval(approvedBy == null ? "auto-approve" : approvedBy, buildUrl),
                    ValueType.parseDuration(lockWait));
        }
    }
}
