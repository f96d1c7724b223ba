package io.datomicgitops.deploy;

import io.datomicgitops.template.TextDiff;

import io.datomicgitops.instances.LaunchTemplateVersion;

import io.datomicgitops.configrepo.StackSource;

import io.datomicgitops.configrepo.StackInputs;

import io.datomicgitops.configrepo.StackFolder;

import io.datomicgitops.configrepo.ConfigHash;

import io.datomicgitops.record.Approval;

import io.datomicgitops.record.DeploymentRecord;

import io.datomicgitops.record.Publisher;

import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.ensure.EnsureResult;
import io.datomicgitops.ensure.EnsureService;
import io.datomicgitops.ensure.KeyListener;
import io.datomicgitops.git.CommitMessage;
import io.datomicgitops.instances.HealthEndpoint;
import io.datomicgitops.instances.HeartbeatMetric;
import io.datomicgitops.instances.InstanceReplacer;
import io.datomicgitops.instances.ReplacementPlan;
import io.datomicgitops.instances.ReplacementRequest;
import io.datomicgitops.instances.ReplacementResult;
import io.datomicgitops.instances.Strategy;
import io.datomicgitops.stack.StackDeployer;
import io.datomicgitops.stack.StackResult;
import io.datomicgitops.template.GeneratedTemplate;
import io.datomicgitops.template.TemplateGenerator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Applies one stack, in the runbook's order — ensure-transactor, ensure-cf, create-cf-template, the stack update,
 * the instance replacement — with git as the write-ahead log: each generated name is committed and pushed the
 * moment it is written, the template before the stack is touched, and a deployment record (tagged) at the end.
 */
public final class StackApplier {
    private static final DateTimeFormatter TAG_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final DeployContext ctx;
    private final TemplateGenerator generator;
    private final Publisher publisher;

    public StackApplier(DeployContext ctx, TemplateGenerator generator, Publisher publisher) {
        this.ctx = ctx;
        this.generator = generator;
        this.publisher = publisher;
    }

    public ApplyResult apply(StackInputs in, Approval approval) {
        Instant started = ctx.clock().instant();
        StackFolder folder = in.folder();
        String stack = folder.name();
        EnsureService ensure = new EnsureService(ctx.aws(), ctx.log(), ctx.clock());

        EnsureResult tx = ensure.ensureTransactor(in.tx(),
                in.ensureOptions(false, ctx).withListener(persist(folder, StackFolder.TRANSACTOR, "ensure-transactor", approval)));
        publishFile(folder, StackFolder.TRANSACTOR, in.tx(), "ensure-transactor", tx.keysWritten(), approval);

        EnsureResult cf = ensure.ensureCf(in.cf(), in.tx(),
                in.ensureOptions(false, ctx).withListener(persist(folder, StackFolder.CF, "ensure-cf", approval)));
        publishFile(folder, StackFolder.CF, in.cf(), "ensure-cf", cf.keysWritten(), approval);

        GeneratedTemplate template = generator.generate(in.tx(), in.cf(), in.templateOptions());
        template.warnings().forEach(ctx.log()::warn);
        TextDiff.Result diff = TextDiff.diff("cf.json", in.committedTemplate().orElse(""), "cf.json", template.json());
        Optional<String> templateCommit = publisher.publish(folder, StackFolder.TEMPLATE, template.json().getBytes(StandardCharsets.UTF_8),
                "create-cf-template", withApproval(CommitMessage.of("create-cf-template", stack,
                        "regenerate " + StackFolder.TEMPLATE + " (+" + diff.added() + " -" + diff.removed() + " lines)"), approval));

        StackDeployer deployer = new StackDeployer(ctx.aws(), in.region(), ctx.log(), ctx.clock());
        String stackName = in.settings().stackName();
        boolean existed = deployer.describe(stackName).filter(i -> !i.isReviewOnly()).isPresent();
        InstanceReplacer replacer = new InstanceReplacer(ctx.aws(), in.region(), ctx.log(), ctx.clock());
        LaunchTemplateVersion launch = new LaunchTemplateVersion(ctx.aws(), in.region(), ctx.log());
        Set<String> before = Set.of();
        Optional<Long> versionBefore = Optional.empty();
        if (existed) {
            String group = deployer.autoScalingGroupName(stackName);
            before = instanceIds(replacer.plan(group, false));
            versionBefore = launch.latest(group);
        }

        StackSource source = StackSource.of(publisher.repo(), folder);
        StackResult stackResult = deployer.apply(new StackPlanner(ctx, generator).request(in, template, in.tx(), in.cf(), source));

        ReplacementResult replacement = null;
        String launchSource = null;
        if (existed) {
            String group = deployer.autoScalingGroupName(stackName);
            Optional<Long> versionAfter = launch.latest(group);
            boolean launchChanged = (stackResult.preview() != null && StackPlanner.listsLaunchChange(stackResult.preview()))
                    || (versionBefore.isPresent() && versionAfter.isPresent() && versionAfter.get() > versionBefore.get());
            if (launchChanged) launch.alignGroup(group);
            // launch changed: every instance running before the update is old; else only those still old from an
            // earlier, interrupted deployment (not the ones it launched)
            Set<String> old = launchChanged ? before : Set.copyOf(StackPlanner.withoutCurrent(replacer.plan(group, false),
                    DeploymentRecord.read(folder.file(StackFolder.RECORD))).toReplace());
            if (!old.isEmpty()) {
                replacement = replacer.replace(replacementRequest(in, group).withAll(launchChanged).withOnlyInstances(old));
            }
            launchSource = replacer.plan(group, false).launchSource();
        }

        DeploymentRecord record = new DeploymentRecord(stack, stackName, stackResult.stackId(), in.region(),
                publisher.repo().head(), ConfigHash.of(folder), stackResult.changeSetId(), stackResult.stackStatus(),
                in.settings().replaceStrategy(), launchSource != null ? launchSource : launchSourceOf(replacer, deployer, stackName),
                replacement == null ? java.util.List.of() : replacement.replaced(),
                replacement == null ? java.util.List.of() : replacement.launched(),
                replacement == null ? null : replacement.zeroInServiceSeconds(),
                approval.approvedBy(), approval.buildUrl(), started.toString(), ctx.clock().instant().toString());
        CommitMessage message = withApproval(CommitMessage.of("deploy", stack, "deployed " + stackName + " ("
                        + stackResult.outcome() + ", " + (replacement == null ? "no instances replaced"
                        : replacement.replaced().size() + " instance(s) replaced by " + replacement.strategy()) + ")"), approval)
                .line("Stack: " + stackResult.stackId())
                .line("Status: " + stackResult.stackStatus())
                .line("Instances replaced: " + String.join(", ", record.instancesReplaced()))
                .trailer("Change-Set", stackResult.changeSetId());
        publisher.publish(folder, StackFolder.RECORD, record.toJson().getBytes(StandardCharsets.UTF_8), "deploy", message);
        String tag = "deploy/" + stack + "/" + TAG_TIME.format(ctx.clock().instant());
        publisher.tag(folder, tag, "deployed " + stackName + " at " + record.deployedCommit());
        return new ApplyResult(stack, "deployed", record, tag, tx, cf, templateCommit.orElse(null), stackResult, replacement);
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

    private static String launchSourceOf(InstanceReplacer replacer, StackDeployer deployer, String stackName) {
        return replacer.plan(deployer.autoScalingGroupName(stackName), false).launchSource();
    }

    private ReplacementRequest replacementRequest(StackInputs in, String group) {
        ReplacementRequest r = ReplacementRequest.of(group, Strategy.parse(in.settings().replaceStrategy()))
                .withTimeouts(in.settings().replaceTimeout(), in.settings().healthTimeout());
        Optional<String> pingHost = in.tx().get("ping-host");
        Optional<String> pingPort = in.tx().get("ping-port");
        if (pingHost.isPresent() && pingPort.isPresent()) r = r.withEndpoint(new HealthEndpoint(pingHost.get(), Integer.parseInt(pingPort.get())));
        Optional<String> metricsRegion = in.tx().get("aws-cloudwatch-region");
        if (metricsRegion.isPresent()) r = r.withHeartbeat(new HeartbeatMetric(metricsRegion.get(), in.tx().get("aws-cloudwatch-dimension-value")));
        return r;
    }

    private static Set<String> instanceIds(ReplacementPlan plan) {
        return plan.instances().stream().map(ReplacementPlan.InstanceState::instanceId).collect(Collectors.toSet());
    }
}
