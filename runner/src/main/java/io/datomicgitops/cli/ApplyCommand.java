package io.datomicgitops.cli;

import io.datomicgitops.ExitCode;
import io.datomicgitops.deploy.ApplyResult;
import io.datomicgitops.record.Approval;
import io.datomicgitops.deploy.Deployments;
import io.datomicgitops.deploy.SavedPlan;
import io.datomicgitops.record.Publisher;
import io.datomicgitops.git.GitRepo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Deploys the selected stacks: ensure, template, stack update, instance replacement, each step committed to git. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Apply the selected stacks in order: ensure-transactor, ensure-cf, create-cf-template, update-stack, "
                + "replace-instances. Generated names and the template are committed and pushed before the stack changes; "
                + "a deployment record is committed and tagged at the end. A stack with nothing to do is left alone.")
public final class ApplyCommand extends BaseCommand {
    @Mixin
    StackOptions stacks;

    @Mixin
    GitOptions git;

    @Mixin
    ApplyOptions apply;

    @Option(names = "--plan", paramLabel = "FILE",
            description = "the plan approved (plan --out FILE): apply refuses, before changing anything, to do anything else (exit 8)")
    Path savedPlan;

    @Override
    protected Path defaultReportPath() {
        return Path.of("report.json");
    }

    @Override
    protected Path cloneDir() {
        return stacks.dir;
    }

    @Override
    protected ExitCode execute() {
        try (GitRepo repo = GitRepo.open(stacks.dir, git.auth(), env(), console)) {
            Publisher publisher = new Publisher(repo, git.committer(env()), report);
            Optional<SavedPlan> approved = Optional.ofNullable(savedPlan).map(SavedPlan::read);
            return print(this, new Deployments(deployContext(apply.allowances(stacks.allowances())), report)
                    .apply(repo, stacks.selectToDeploy(repo), apply.approval(null), publisher, apply.lockWait(), approved));
        }
    }

    /** A line per stack: what was deployed, or that nothing was to do. */
    static ExitCode print(BaseCommand cmd, List<ApplyResult> results) {
        for (ApplyResult r : results) cmd.console.println(r.line());
        return ExitCode.OK;
    }
}
