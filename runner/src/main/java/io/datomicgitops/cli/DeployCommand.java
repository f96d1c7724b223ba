package io.datomicgitops.cli;

import io.datomicgitops.ExitCode;
import io.datomicgitops.deploy.Deployments;
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

    @Mixin
    ApplyOptions apply;

    @Option(names = "--plan-md", paramLabel = "FILE", defaultValue = "plan.md", description = "write the Markdown plan here (default: ${DEFAULT-VALUE})")
    Path planMd;

    @Override
    protected Path defaultReportPath() {
        return Path.of("report.json");
    }

    @Override
    protected ExitCode execute() {
        try (GitRepo repo = GitRepo.checkout(repoUrl, branch, stacks.dir, git.auth(), env(), console)) {
            List<StackPlan> plans = new Deployments(deployContext(stacks.allowances()), report).plan(repo, stacks.select(repo), 8);
            List<String> changed = plans.stream().filter(StackPlan::changes).map(StackPlan::stack).toList();
            if (!PlanCommand.writePlan(this, repo, plans, planMd)) return ExitCode.OK;
            if (!autoApprove) {
                console.println("run again with --auto-approve to apply, or use plan and apply with an approval step in between");
                return ExitCode.CHANGES_PENDING;
            }
            stacks.stacks = changed;
            stacks.since = null;
            return ApplyCommand.run(this, repo, stacks, git, apply.approval("auto-approve"), apply.lockWait());
        }
    }
}
