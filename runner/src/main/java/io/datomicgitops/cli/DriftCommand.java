package io.datomicgitops.cli;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.configrepo.StackFolder;
import io.datomicgitops.deploy.DeployContext;
import io.datomicgitops.deploy.Deployments;
import io.datomicgitops.deploy.DriftFix;
import io.datomicgitops.deploy.StackDrift;
import io.datomicgitops.deploy.StackPlan;
import io.datomicgitops.git.GitAuth;
import io.datomicgitops.git.GitRepo;
import io.datomicgitops.git.ReviewBranch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Does AWS still run what git says? For each selected stack, read-only: the deployed template against cf.json, and
 * the ensure phases' resources (table, bucket, roles, policies, instance profile, security group and its rules, the
 * storage's protections) against the properties files. Made for a schedule: exit 2 names every difference. With
 * --push-branch it writes to git, never to AWS: a drift/&lt;stack&gt; branch per drifted stack, for review.
 */
@Command(name = "drift", mixinStandardHelpOptions = true,
        description = {"Compare AWS with git for the selected stacks, read-only: the deployed template against cf.json, and the "
                + "resources of the ensure phases (table, log bucket, roles, policies, instance profile, security group, "
                + "protections) against the properties files.",
                "With --push-branch, each drifted stack's drift/<stack> branch gets a commit that brings git in line with AWS, for review.",
                "Exit 0: AWS matches git; 2: drift (each difference in the output and report.json); other: error."})
public final class DriftCommand extends BaseCommand {
    /** Drift compares what the files say with AWS: it checks the placeholders and, as a plan, resolves none. */
    @Override
    protected io.datomicgitops.config.Secrets secrets() {
        return super.secrets().checkOnly();
    }

    @Mixin
    StackOptions stacks;

    @Mixin
    GitOptions git;

    @Option(names = "--push-branch",
            description = "for each drifted stack, push a drift/<stack> branch whose commit brings git in line with AWS (cf.json as deployed, "
                    + "names and protections as AWS has them; what no file can say is listed in its message), for a person to review; "
                    + "a branch holding anyone else's commit is never pushed over")
    boolean pushBranch;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "8", description = "stacks checked at once (default: ${DEFAULT-VALUE})")
    int parallel;

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
        try (GitRepo repo = GitRepo.open(stacks.dir, pushBranch ? git.auth() : GitAuth.none(), env(), console)) {
            List<StackFolder> selected = stacks.select(repo);
            console.progress("drift: " + selected.size() + " stack(s): " + selected.stream().map(StackFolder::name).toList());
            DeployContext ctx = deployContext(stacks.allowances());
            Instant start = clock().instant();
            List<StackPlan> plans = new Deployments(ctx, report).plan(repo, selected, parallel);
            boolean drifted = false;
            List<ToolException> refused = new ArrayList<>();
            for (StackPlan plan : plans) {
                StackDrift drift = StackDrift.of(plan, plan.deployedTemplate());
                drifted |= drift.drifted();
                console.println(drift.summary());
                drift.differences().forEach(d -> console.println("  " + d));
                report.addPhase(plan.stack(), "drift", drift.drifted() ? "drift" : "ok", Duration.between(start, clock().instant()),
                        drift.summary(), drift);
                if (pushBranch && drift.drifted()) pushBranch(repo, plan, drift).ifPresent(refused::add);
            }
            console.println(drifted ? "drift found" : "AWS matches git");
            if (!refused.isEmpty()) {
                ToolException first = refused.get(0);
                throw new ToolException(ExitCode.GIT, refused.size() + " drift branch(es) not pushed: "
                        + String.join("; ", refused.stream().map(ToolException::what).toList()), first.where(), first.todo(), first);
            }
            return drifted ? ExitCode.CHANGES_PENDING : ExitCode.OK;
        }
    }

    /** Pushes the stack's {@code drift/<stack>} branch; the refusal, when the branch is someone's or the push failed. */
    private java.util.Optional<ToolException> pushBranch(GitRepo repo, StackPlan plan, StackDrift drift) {
        Instant start = clock().instant();
        DriftFix fix = DriftFix.of(plan, plan.deployedTemplate(), drift);
        String branch = DriftFix.branch(plan.stack());
        try {
            ReviewBranch.Pushed pushed = new ReviewBranch(repo, git.auth(), env())
                    .push(branch, fix.files(), fix.message(plan.inputs().stackName()), git.committer(env()));
            String line = "drift: " + branch + " " + pushed.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + " at " + pushed.commit().substring(0, 10) + ": " + fix.expressed().size() + " difference(s) in the files, "
                    + fix.notExpressed().size() + " listed in its message for the reviewer";
            console.println(line);
            report.addPhase(plan.stack(), "drift-branch", pushed.outcome().name().toLowerCase(java.util.Locale.ROOT),
                    Duration.between(start, clock().instant()), line, pushed);
            return java.util.Optional.empty();
        } catch (ToolException e) {
            console.println("drift: " + branch + " not pushed: " + e.what());
            report.addPhase(plan.stack(), "drift-branch", "refused", Duration.between(start, clock().instant()), e.what(), null);
            return java.util.Optional.of(e);
        }
    }
}
