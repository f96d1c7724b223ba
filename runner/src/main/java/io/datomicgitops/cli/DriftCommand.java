package io.datomicgitops.cli;

import io.datomicgitops.ExitCode;
import io.datomicgitops.configrepo.StackFolder;
import io.datomicgitops.deploy.DeployContext;
import io.datomicgitops.deploy.Deployments;
import io.datomicgitops.deploy.StackDrift;
import io.datomicgitops.deploy.StackPlan;
import io.datomicgitops.git.GitAuth;
import io.datomicgitops.git.GitRepo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Does AWS still run what git says? For each selected stack, read-only: the deployed template against cf.json, and
 * the ensure phases' resources (table, bucket, roles, policies, instance profile, security group and its rules, the
 * storage's protections) against the properties files. Made for a schedule: exit 2 names every difference.
 */
@Command(name = "drift", mixinStandardHelpOptions = true,
        description = {"Compare AWS with git for the selected stacks, read-only: the deployed template against cf.json, and the "
                + "resources of the ensure phases (table, log bucket, roles, policies, instance profile, security group, "
                + "protections) against the properties files.",
                "Exit 0: AWS matches git; 2: drift (each difference in the output and report.json); other: error."})
public final class DriftCommand extends BaseCommand {
    @Mixin
    StackOptions stacks;

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
        try (GitRepo repo = GitRepo.open(stacks.dir, GitAuth.none(), env(), console)) {
            List<StackFolder> selected = stacks.select(repo);
            console.progress("drift: " + selected.size() + " stack(s): " + selected.stream().map(StackFolder::name).toList());
            DeployContext ctx = deployContext(stacks.allowances());
            Instant start = clock().instant();
            List<StackPlan> plans = new Deployments(ctx, report).plan(repo, selected, parallel);
            boolean drifted = false;
            for (StackPlan plan : plans) {
                StackDrift drift = StackDrift.of(plan, plan.deployedTemplate());
                drifted |= drift.drifted();
                console.println(drift.summary());
                drift.differences().forEach(d -> console.println("  " + d));
                report.addPhase(plan.stack(), "drift", drift.drifted() ? "drift" : "ok", Duration.between(start, clock().instant()),
                        drift.summary(), drift);
            }
            console.println(drifted ? "drift found" : "AWS matches git");
            return drifted ? ExitCode.CHANGES_PENDING : ExitCode.OK;
        }
    }
}
