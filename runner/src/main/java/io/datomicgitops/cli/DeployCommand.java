package io.datomicgitops.cli;

import io.datomicgitops.ExitCode;
import io.datomicgitops.deploy.Deployments;
import io.datomicgitops.record.Publisher;
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

    /** apply finishes an interrupted deploy: deploy again would check the clone out first, refusing the work left in it. */
    @Override
    protected String interruptedTodo() {
        return "run datomic-gitops apply --dir " + stacks.dir + " to finish it: it finishes from where it stopped (deploy again would"
                + " first check the clone out, which refuses work the interrupted run left in it)";
    }

    @Override
    protected Path cloneDir() {
        return stacks.dir;
    }

    @Override
    protected ExitCode execute() {
        try (GitRepo repo = GitRepo.checkout(repoUrl, branch, stacks.dir, git.auth(), env(), console)) {
            Deployments deployments = new Deployments(deployContext(apply.allowances(stacks.allowances())), report);
            List<StackPlan> plans = deployments.plan(repo, stacks.selectToDeploy(repo), Deployments.PLAN_PARALLEL);
            if (!PlanCommand.writePlan(this, repo, plans, planMd)) return ExitCode.OK;
            if (!autoApprove) {
                console.println("run again with --auto-approve to apply, or use plan and apply with an approval step in between");
                return ExitCode.CHANGES_PENDING;
            }
            // the plans just made and written are the ones applied: nothing is planned twice (those without changes are
            // passed too, so that every stack's outcome is reported, a failure's included)
            Publisher publisher = new Publisher(repo, git.committer(env()), report);
            return ApplyCommand.print(this, deployments.applyPlans(repo, plans, apply.approval("auto-approve"), publisher, apply.lockWait()));
        }
    }
}
