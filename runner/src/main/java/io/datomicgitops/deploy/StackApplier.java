package io.datomicgitops.deploy;

import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.configrepo.StackFolder;
import io.datomicgitops.configrepo.StackInputs;
import io.datomicgitops.configrepo.StackSource;
import io.datomicgitops.ensure.EnsureResult;
import io.datomicgitops.ensure.EnsureService;
import io.datomicgitops.ensure.KeyListener;
import io.datomicgitops.git.CommitMessage;
import io.datomicgitops.guard.AlarmGuard;
import io.datomicgitops.instances.InstanceReplacer;
import io.datomicgitops.instances.LaunchTemplateVersion;
import io.datomicgitops.instances.ReplacementResult;
import io.datomicgitops.record.Approval;
import io.datomicgitops.record.DeploymentHistory;
import io.datomicgitops.record.DeploymentRecord;
import io.datomicgitops.record.Publisher;
import io.datomicgitops.release.UpgradeBackup;
import io.datomicgitops.stack.StackDeployer;
import io.datomicgitops.stack.StackRequest;
import io.datomicgitops.stack.StackResult;
import io.datomicgitops.template.GeneratedTemplate;
import io.datomicgitops.template.TemplateGenerator;
import io.datomicgitops.template.TextDiff;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies one stack, in the runbook's order — ensure-transactor, ensure-cf, create-cf-template, the stack update,
 * the instance replacement — with git as the write-ahead log: each generated name is committed and pushed the
 * moment it is written, the template before the stack is touched, and a deployment record (tagged) at the end. A
 * failure from the stack update on leaves git saying what AWS runs ({@link FailedApply}).
 */
public final class StackApplier {

    private final DeployContext ctx;
    private final TemplateGenerator generator;
    private final Publisher publisher;

    public StackApplier(DeployContext ctx, TemplateGenerator generator, Publisher publisher) {
        this.ctx = ctx;
        this.generator = generator;
        this.publisher = publisher;
    }

    /**
     * Executes the plan: on the stack's files as the plan read them, the instances to replace as the plan decided
     * them (the ones running before the update, as the plan read the group), without asking the planner again.
     */
    public ApplyResult apply(StackPlan plan, Approval approval) {
        Instant started = ctx.clock().instant();
        String attempted = publisher.repo().head(); // the config this run deploys, before its own commits
        StackInputs in = plan.inputs();
        StackFolder folder = in.folder();
        String stack = folder.name();
        EnsureService ensure = new EnsureService(ctx.aws(), ctx.log(), ctx.clock());

        EnsureResult tx = ensure.ensureTransactor(in.tx(),
                ctx.ensureOptions(in, false).withListener(persist(folder, StackFolder.TRANSACTOR, "ensure-transactor", approval)));
        publishFile(folder, StackFolder.TRANSACTOR, in.tx(), "ensure-transactor", tx.keysWritten(), approval);

        EnsureResult cf = ensure.ensureCf(in.cf(), in.tx(),
                ctx.ensureOptions(in, false).withListener(persist(folder, StackFolder.CF, "ensure-cf", approval)));
        publishFile(folder, StackFolder.CF, in.cf(), "ensure-cf", cf.keysWritten(), approval);

        // its warnings are the plan's findings, shown already
        GeneratedTemplate template = generator.generate(in.tx(), in.cf(), in.templateOptions());
        TextDiff.Result diff = TextDiff.diff("cf.json", in.committedTemplate().orElse(""), "cf.json", template.json());
        Optional<String> templateCommit = publisher.publish(folder, StackFolder.TEMPLATE, template.json().getBytes(StandardCharsets.UTF_8),
                "create-cf-template", withApproval(CommitMessage.of("create-cf-template", stack,
                        "regenerate " + StackFolder.TEMPLATE + " (+" + diff.added() + " -" + diff.removed() + " lines)"), approval));

        // before a datomic-version change reaches the stack; a failed backup stops the run with the stack untouched
        Optional<String> backup = new UpgradeBackup(ctx.log()).runBefore(in, plan.stackPreview(), ctx.allowances().skipBackup());
        Deployed deployed;
        try {
            deployed = updateAndReplace(plan, template);
        } catch (RuntimeException e) {
            // from the stack update on, git returns to what AWS runs and records the failure; the error stays the run's
            throw new FailedApply(ctx, publisher).record(plan, attempted, template.json(), approval, e);
        }
        String stackName = in.stackName();
        StackResult stackResult = deployed.stack();
        ReplacementResult replacement = deployed.replacement();
        String launchSource = deployed.launchSource();

        DeploymentRecord record = DeploymentRecord.builder()
                .stack(stack).stackName(stackName).stackId(stackResult.stackId()).region(in.region())
                .deployedCommit(publisher.repo().head()).configSha256(in.configHash(template.json()))
                .changeSetId(stackResult.changeSetId()).status(stackResult.stackStatus())
                .strategy(in.settings().replaceStrategy().id).launchSource(launchSource)
                .instancesReplaced(replacement == null ? List.of() : replacement.replaced())
                .instancesLaunched(replacement == null ? List.of() : replacement.launched())
                .downtimeSeconds(replacement == null ? null : replacement.zeroInServiceSeconds())
                .approvedBy(approval.approvedBy()).buildUrl(approval.buildUrl()).backup(backup.orElse(null))
                .startedAt(started.toString()).finishedAt(ctx.clock().instant().toString())
                .build();
        CommitMessage message = withApproval(CommitMessage.of("deploy", stack, "deployed " + stackName + " ("
                        + stackResult.outcome() + ", " + (replacement == null ? "no instances replaced"
                        : replacement.replaced().size() + " instance(s) replaced by " + replacement.strategy()) + ")"), approval)
                .line("Stack: " + stackResult.stackId())
                .line("Status: " + stackResult.stackStatus())
                .line("Instances replaced: " + String.join(", ", record.instancesReplaced()))
                .trailer("Change-Set", stackResult.changeSetId())
                .trailer("Backup", backup.orElse(null));
        publisher.publish(folder, StackFolder.RECORD, record.toJson().getBytes(StandardCharsets.UTF_8), "deploy", message);
        String tag = DeploymentHistory.deploymentTag(publisher.repo(), stack, ctx.clock().instant());
        publisher.tag(folder, tag, "deployed " + stackName + " at " + record.deployedCommit());
        return new ApplyResult(stack, ApplyResult.Outcome.DEPLOYED, record, tag, tx, cf, templateCommit.orElse(null), stackResult, replacement);
    }

    /** What the stack update and the replacement did. */
    private record Deployed(StackResult stack, ReplacementResult replacement, String launchSource) {}

    /**
     * The stack update, then the replacement of the instances the plan named, and any check after it: a failure anywhere
     * in here leaves git saying what AWS runs ({@link FailedApply}).
     */
    private Deployed updateAndReplace(StackPlan plan, GeneratedTemplate template) {
        StackInputs in = plan.inputs();
        StackDeployer deployer = new StackDeployer(ctx.aws(), in.region(), ctx.log(), ctx.clock());
        String stackName = in.stackName();
        // the alarms that guard the deployment: rollback triggers on its change set, then watched through the bake
        AlarmGuard guard = AlarmGuard.of(ctx.aws(), in, publisher.repo(), plan.deployedTemplate(), ctx.log(), ctx.clock());
        StackRequest request = guard.arm(in.stackRequest(template, in.tx(), in.cf(), StackSource.of(publisher.repo(), in.folder()), ctx.secrets()));
        StackResult stackResult = deployer.apply(request);

        InstanceReplacer replacer = new InstanceReplacer(ctx.aws(), in.region(), ctx.log(), ctx.clock());
        // an update may recreate the group under a new name: the stack's own answer names it
        String group = stackResult.autoScalingGroup() != null ? stackResult.autoScalingGroup()
                : plan.group().map(InstanceReplacer.GroupSnapshot::groupName).orElseGet(() -> deployer.autoScalingGroupName(stackName));
        ReplacementResult replacement = plan.group().map(before -> replaceOld(plan, before, stackResult, group, replacer)).orElse(null);
        guard.bake(request, group, replacement);
        String launchSource = replacer.launchSource(group).toString();
        return new Deployed(stackResult, replacement, launchSource);
    }

    /**
     * Replaces what the plan said: every instance running before the update when the launch changed, else the ones the
     * plan found still old. An update that changed the launch although the plan did not expect it (the change set
     * listed the launch resource, or the template gained a version) still replaces every instance, and says so.
     */
    private ReplacementResult replaceOld(StackPlan plan, InstanceReplacer.GroupSnapshot before, StackResult stackResult, String group,
                                         InstanceReplacer replacer) {
        LaunchTemplateVersion versions = new LaunchTemplateVersion(ctx.aws(), plan.inputs().region(), ctx.log());
        Optional<LaunchTemplateVersion.GroupLaunch> launch = versions.read(group);
        boolean newVersion = launch.isPresent() && before.latestTemplateVersion().map(v -> launch.get().latest() > v).orElse(false);
        boolean launchChanged = plan.launchChanges() || newVersion
                || (stackResult.preview() != null && stackResult.preview().listsLaunchChange());
        if (launchChanged && !plan.launchChanges()) {
            ctx.log().warn("the stack update changed what the transactors launch from, which the plan did not show: "
                    + "every instance running before it is replaced");
        }
        if (launchChanged) launch.ifPresent(l -> versions.alignGroup(group, l));
        Set<String> old = launchChanged ? before.instanceIds() : Set.copyOf(plan.instances().toReplace());
        if (old.isEmpty()) return null;
        return replacer.replace(plan.inputs().settings().replacementRequest(group, Optional.of(plan.inputs().tx()))
                .withAll(launchChanged).withOnlyInstances(old));
    }

    /** The write-ahead listener: each generated name is committed and pushed before the next resource is created. */
    private KeyListener persist(StackFolder folder, String fileName, String phase, Approval approval) {
        return (file, keys) -> publisher.publish(folder, fileName, file.toBytes(), phase, keysMessage(phase, folder.name(), keys, approval));
    }

    /** Anything the phase set in the file and the listener did not persist yet. */
    private void publishFile(StackFolder folder, String fileName, PropertiesFile file, String phase, Map<String, String> keys, Approval approval) {
        publisher.publish(folder, fileName, file.toBytes(), phase, keysMessage(phase, folder.name(), keys, approval));
    }

    private static CommitMessage keysMessage(String phase, String stack, Map<String, String> keys, Approval approval) {
        CommitMessage m = CommitMessage.of(phase, stack, "write " + String.join(", ", keys.keySet()));
        keys.forEach((k, v) -> m.line(k + "=" + v));
        return withApproval(m, approval);
    }

    private static CommitMessage withApproval(CommitMessage m, Approval approval) {
        return m.trailer("Approved-by", approval.approvedBy()).trailer("Build-URL", approval.buildUrl());
    }

}
