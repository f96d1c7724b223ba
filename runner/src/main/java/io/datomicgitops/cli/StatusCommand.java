package io.datomicgitops.cli;

import io.datomicgitops.ExitCode;
import io.datomicgitops.record.DeploymentRecord;
import io.datomicgitops.configrepo.StackFolder;
import io.datomicgitops.configrepo.StackInputs;
import io.datomicgitops.git.GitAuth;
import io.datomicgitops.git.GitRepo;
import io.datomicgitops.instances.InstanceReplacer;
import io.datomicgitops.instances.ReplacementPlan;
import io.datomicgitops.stack.StackDeployer;
import io.datomicgitops.stack.StackInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** What is deployed now: each stack's status, its transactor instances and the last deployment record. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show each stack's CloudFormation status, its transactor instances and the last deployment recorded in git. Read-only.")
public final class StatusCommand extends BaseCommand {
    @Mixin
    StackOptions stacks;

    @Override
    protected ExitCode execute() {
        try (GitRepo repo = GitRepo.open(stacks.dir, GitAuth.none(), env(), console)) {
            for (StackFolder folder : stacks.select(repo)) {
                StackInputs in = StackInputs.read(folder, overrides(), aws().settings(), env());
                String name = in.stackName();
                StackDeployer deployer = new StackDeployer(aws(), in.region(), console, clock());
                Optional<StackInfo> info = deployer.describe(name);
                Map<String, Object> status = new LinkedHashMap<>();
                status.put("stackName", name);
                status.put("status", info.map(StackInfo::status).orElse("NOT_FOUND"));
                console.println(folder.name() + ": stack " + name + " (" + in.region() + ") " + status.get("status")
                        + info.map(i -> ", updated " + (i.updatedAt() == null ? i.createdAt() : i.updatedAt())).orElse(""));
                if (info.isPresent() && !info.get().isReviewOnly()) {
                    String group = deployer.autoScalingGroupName(name);
                    ReplacementPlan plan = new InstanceReplacer(aws(), in.region(), console, clock()).plan(group, false);
                    console.println("  group " + group + " (" + plan.capacity() + "), launching from " + plan.launchSource());
                    for (ReplacementPlan.InstanceState i : plan.instances()) {
                        console.println("  " + i.instanceId() + " " + i.lifecycleState() + " " + i.health() + " " + i.launchedFrom()
                                + (i.privateIp() == null ? "" : " " + i.privateIp()));
                    }
                    status.put("instances", plan.instances());
                }
                DeploymentRecord.parse(in.recordJson()).ifPresent(r -> {
                    console.println("  last deployment: " + r.finishedAt() + " commit " + r.deployedCommit().substring(0, 10)
                            + " approved by " + (r.approvedBy() == null ? "-" : r.approvedBy()) + ", " + r.status()
                            + ", " + r.instancesReplaced().size() + " instance(s) replaced (" + r.strategy() + ")");
                    status.put("lastDeployment", r);
                });
                report.putStack(folder.name(), status);
            }
            return ExitCode.OK;
        }
    }
}
