package io.datomicgitops.deploy;

import io.datomicgitops.template.TextDiff;

import io.datomicgitops.configrepo.StackSource;

import io.datomicgitops.configrepo.StackInputs;

import io.datomicgitops.configrepo.StackFolder;

import io.datomicgitops.configrepo.ConfigHash;

import io.datomicgitops.record.DeploymentRecord;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.ensure.EnsureResult;
import io.datomicgitops.ensure.EnsureService;
import io.datomicgitops.ensure.ResourceChange;
import io.datomicgitops.findings.Acknowledgements;
import io.datomicgitops.findings.DatomicChecks;
import io.datomicgitops.findings.Finding;
import io.datomicgitops.findings.ReleaseCheck;
import io.datomicgitops.release.ReleaseRules;
import io.datomicgitops.release.StopAll;
import io.datomicgitops.release.VersionChange;
import io.datomicgitops.guard.AlarmGuard;
import io.datomicgitops.instances.InstanceReplacer;
import io.datomicgitops.instances.ReplacementPlan;
import io.datomicgitops.report.Json;
import io.datomicgitops.report.Log;
import io.datomicgitops.stack.StackDeployer;
import io.datomicgitops.stack.StackInfo;
import io.datomicgitops.stack.StackPreview;
import io.datomicgitops.stack.StackRequest;
import io.datomicgitops.template.GeneratedTemplate;
import io.datomicgitops.template.OwnImages;
import io.datomicgitops.template.TemplateGenerator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Plans one stack without changing anything: the ensure plans (on copies of the files, so the template sees the
 * names ensure would write), the regenerated template and its diff against the committed cf.json, the stack
 * preview, the instances a deployment would replace, and drift.
 */
public final class StackPlanner {
    /** What Datomic's release notes say about the versions a deployment moves to (the release gate). */
    private static final ReleaseRules RELEASES = ReleaseRules.bundled();

    private final DeployContext ctx;
    private final TemplateGenerator generator;

    /** One of many stacks planned in this run: the region's stacks are read once for all of them. */
    private final boolean fleet;

    public StackPlanner(DeployContext ctx, TemplateGenerator generator) {
        this(ctx, generator, false);
    }

    public StackPlanner(DeployContext ctx, TemplateGenerator generator, boolean fleet) {
        this.ctx = ctx;
        this.generator = generator;
        this.fleet = fleet;
    }

    public StackPlan plan(StackInputs in, StackSource source) {
        try (Parallel reads = new Parallel(4, ctx.aws().counter())) {
            return plan(in, source, reads);
        }
    }

    /**
     * The reads of the running stack (the stack, its deployed template, its autoscaling group) do not depend on the
     * ensure plans, and run beside them. So does the stack preview of the files as they are, ahead of the ensure
     * plans: it is the right preview whenever they write no key (every plan of a deployed, unchanged stack), and is
     * redone on the planned files otherwise.
     */
    private StackPlan plan(StackInputs in, StackSource source, Parallel reads) {
        AlarmGuard.check(ctx.aws(), in); // a guard that cannot work stops the plan, before any change
        Log log = ctx.log();
        String stackName = in.stackName();
        StackDeployer deployer = new StackDeployer(ctx.aws(), in.region(), log, ctx.clock());
        InstanceReplacer replacer = new InstanceReplacer(ctx.aws(), in.region(), log, ctx.clock());

        var described = reads.supply(() -> fleet ? deployer.describeFromRegion(stackName) : deployer.describe(stackName));
        var deployedTemplate = reads.then(described, deployer::deployedTemplate);
        var group = reads.then(described, d -> d.filter(i -> !i.isReviewOnly())
                .map(i -> replacer.readForPlan(deployer.autoScalingGroupName(stackName))));
        StackRequest[] early = new StackRequest[1];
        var earlyPreview = reads.then(deployedTemplate, deployed -> {
            PropertiesFile tx = StackInputs.copy(in.tx());
            PropertiesFile cf = StackInputs.copy(in.cf());
            GeneratedTemplate t = generator.generate(tx, cf, in.templateOptions());
            deployed.ifPresent(d -> refuseLaunchChange(d, in, t));
            early[0] = in.stackRequest(t, tx, cf, source, ctx.secrets());
            return deployer.preview(early[0], Parallel.join(described));
        });
        // ensure-cf reads the transactor file only for names ensure-transactor may write: planned beside it too
        var earlyCfPlan = reads.supply(() -> new EnsureService(ctx.aws(), log, ctx.clock())
                .ensureCf(StackInputs.copy(in.cf()), StackInputs.copy(in.tx()), ctx.ensureOptions(in, true)));

        EnsureService ensure = new EnsureService(ctx.aws(), log, ctx.clock());
        PropertiesFile tx = StackInputs.copy(in.tx());
        PropertiesFile cf = StackInputs.copy(in.cf());
        EnsureResult txPlan = ensure.ensureTransactor(tx, ctx.ensureOptions(in, true));
        txPlan.keysWritten().forEach(tx::set);
        EnsureResult cfPlan = txPlan.keysWritten().isEmpty() ? Parallel.resultOrNull(earlyCfPlan) : null;
        if (cfPlan == null) {
            Parallel.resultOrNull(earlyCfPlan);
            cfPlan = ensure.ensureCf(cf, tx, ctx.ensureOptions(in, true));
        }
        cfPlan = withoutWhatEnsureTransactorCreates(cfPlan, txPlan);
        cfPlan.keysWritten().forEach(cf::set);

        GeneratedTemplate template = generator.generate(tx, cf, in.templateOptions());
        TextDiff.Result diff = TextDiff.diff("a/" + in.folder().gitPath(StackFolder.TEMPLATE), in.committedTemplate().orElse(""),
                "b/" + in.folder().gitPath(StackFolder.TEMPLATE), template.json());

        Optional<StackInfo> info = Parallel.join(described).filter(i -> !i.isReviewOnly());
        Optional<String> deployed = Parallel.join(deployedTemplate);
        deployed.ifPresent(d -> refuseLaunchChange(d, in, template));
        StackRequest request = in.stackRequest(template, tx, cf, source, ctx.secrets());
        StackPreview preview = Parallel.resultOrNull(earlyPreview);
        if (preview == null || !request.equals(early[0])) preview = deployer.preview(request, Parallel.join(described));

        List<String> drift = new ArrayList<>();
        if (info.isPresent()) {
            templateDrift(deployed, in).ifPresent(drift::add);
            drift.addAll(goneResources(txPlan, in.tx()));
            drift.addAll(goneResources(cfPlan, in.cf()));
        }

        Optional<DeploymentRecord> record = DeploymentRecord.parse(in.recordJson());
        ReplacementPlan instances = null;
        boolean launchChanges = false;
        int toReplace = 0;
        Optional<InstanceReplacer.GroupSnapshot> snapshot = Parallel.join(group);
        if (snapshot.isPresent()) {
            // a group left behind its template by a stopped run is a launch change still to finish: every instance goes
            launchChanges = launchChanges(preview, deployed, template.json()) || snapshot.get().behindTemplate();
            instances = toReplace(replacer.plan(snapshot.get(), launchChanges), launchChanges, record);
            toReplace = instances.toReplace().size();
        }

        boolean recordUpToDate = record.map(r -> r.configSha256().equals(in.configHash()) && !diff.changed())
                .orElse(false);
        boolean stackChanges = info.isEmpty() || stackChanges(preview, deployed, template.json(), log);
        boolean changes = txPlan.changed() || cfPlan.changed() || diff.changed() || stackChanges || toReplace > 0
                || !recordUpToDate;
        List<String> keys = new ArrayList<>();
        txPlan.keysWritten().keySet().forEach(k -> keys.add(StackFolder.TRANSACTOR + ":" + k));
        cfPlan.keysWritten().keySet().forEach(k -> keys.add(StackFolder.CF + ":" + k));
        // the release gate: the version the stack runs (its parameter, as the preview read it) against cf.properties'
        ReleaseCheck.Result release = ReleaseCheck.check(VersionChange.of(preview, cf), tx, cf, in.deploy(),
                RELEASES, new ReleaseCheck.Allowed(ctx.allowances().downgrade(), ctx.allowances().skipBackup()));
        StackInputs planned = release.stopAll() ? StopAll.terminating(in) : in;
        List<Finding> checked = new ArrayList<>(new OwnImages(ctx.aws()).check(cf));
        checked.addAll(release.findings());
        List<Finding> findings = findings(in, tx, cf, txPlan, cfPlan, template, drift, checked, ctx.env());
        // an info finding is news, not a warning: printed as progress (plan.md and the report have every finding)
        findings.stream().filter(f -> !f.acknowledged())
                .forEach(f -> { if (f.severity() == Finding.Severity.INFO) log.progress(f.toString()); else log.warn(f.toString()); });
        PlanSummary summary = new PlanSummary(stackName, in.region(), changes,
                count(txPlan, cfPlan, ResourceChange.Action.CREATE), count(txPlan, cfPlan, ResourceChange.Action.UPDATE), keys,
                diff.changed(), diff.lines(), info.isPresent(),
                info.isPresent() ? preview.changes().size() : 0,
                (int) preview.changes().stream().filter(c -> "True".equals(c.replacement())).count(),
                toReplace, planned.settings().replaceStrategy().id, recordUpToDate, drift,
                snapshot.map(g -> g.group().instances().size()).orElse(0), findings);
        return new StackPlan(in.folder().name(), summary, txPlan, cfPlan, diff.unified(), preview, instances, drift, template.json(),
                deployed, planned, snapshot, launchChanges, List.of());
    }

    /**
     * Everything a reviewer must see, in one list: what Datomic would make of the files (required keys, instance type,
     * memory, secrets), what reading them found, what the ensure plans and the template warn about, the operator's own
     * images as EC2 describes them, and drift.
     */
    private static List<Finding> findings(StackInputs in, PropertiesFile tx, PropertiesFile cf, EnsureResult txPlan, EnsureResult cfPlan,
                                          GeneratedTemplate template, List<String> drift, List<Finding> images,
                                          java.util.Map<String, String> env) {
        // the files as the deployment leaves them: the keys the ensure phases write are not missing
        List<Finding> out = new ArrayList<>(DatomicChecks.check(Optional.of(tx), Optional.of(cf), Optional.of(in.deploy()), env));
        List<Finding> phases = new ArrayList<>();
        txPlan.warnings().forEach(w -> phases.add(Finding.warning("ensure-transactor", w, in.folder().gitPath(StackFolder.TRANSACTOR))));
        cfPlan.warnings().forEach(w -> phases.add(Finding.warning("ensure-cf", w, in.folder().gitPath(StackFolder.CF))));
        template.warnings().forEach(w -> phases.add(Finding.warning("template", w, in.folder().gitPath(StackFolder.TEMPLATE))));
        // one finding per file:line: a phase's warning about a line the checks already reported says it again
        String clone = in.folder().repoRoot().toString() + java.io.File.separator;
        phases.stream().filter(f -> out.stream().noneMatch(c -> c.where() != null
                        && f.message().replace(clone, "").startsWith(c.where().replace(clone, "") + ":"))).forEach(out::add);
        out.addAll(images);
        drift.forEach(d -> out.add(Finding.warning("drift", d, in.stackName())));
        // messages name files by the path they were read from: in a report, the path inside the config repo
        return Acknowledgements.apply(out.stream().map(f -> new Finding(f.severity(), f.code(), f.message().replace(clone, ""),
                f.where() == null ? null : f.where().replace(clone, ""), f.acknowledged())).toList(), Optional.of(in.deploy()));
    }

    /**
     * ensure-cf is planned on files that ensure-transactor has not acted on yet: a resource the transactor phase will
     * create (the transactor role's instance profile) would be counted twice, and apply creates it once.
     */
    static EnsureResult withoutWhatEnsureTransactorCreates(EnsureResult cfPlan, EnsureResult txPlan) {
        java.util.Set<String> created = new java.util.HashSet<>();
        txPlan.resources().stream().filter(r -> r.action() == ResourceChange.Action.CREATE).forEach(r -> created.add(r.kind() + "/" + r.name()));
        List<ResourceChange> kept = cfPlan.resources().stream()
                .filter(r -> !(r.action() == ResourceChange.Action.CREATE && created.contains(r.kind() + "/" + r.name()))).toList();
        if (kept.size() == cfPlan.resources().size()) return cfPlan;
        return new EnsureResult(cfPlan.phase(), cfPlan.file(), cfPlan.engine(), cfPlan.plan(), kept, cfPlan.keysWritten(),
                cfPlan.warnings(), cfPlan.engineOutput());
    }

    /**
     * Whether the stack update would change anything. A change set that lists changes does; one that is executable
     * but lists none (a parameter-only change can look like that) is checked the way CloudFormation decides a no-op:
     * the deployed template and the parameters (secret ones cannot be read back).
     */
    private static boolean stackChanges(StackPreview preview, Optional<String> deployed, String template, Log log) {
        if (!preview.hasChanges()) return false;
        if (!preview.changes().isEmpty()) return true;
        if (deployed.isEmpty() || !sameJson(deployed.get(), template)) {
            log.progress("stack: the template differs from the deployed one");
            return true;
        }
        for (StackPreview.ParameterValue v : preview.parameters()) {
            if (v.changed()) {
                log.progress("stack: parameter " + v.key() + " changes from " + v.previous() + " to " + v.value());
                return true;
            }
        }
        // tags alone are not a change: the commit tag moves only when the template does
        return false;
    }

    /**
     * What a deployment replaces, the one answer plan and apply share. When the update changes what the transactors
     * launch from, every instance running before it is old, those the last deployment launched included. Otherwise
     * only the instances still old from an earlier, interrupted deployment are, not the ones it launched: their
     * launch tags may lag behind the group's source (the sandbox tags them with the template's default version).
     */
    static ReplacementPlan toReplace(ReplacementPlan plan, boolean launchChanges, Optional<DeploymentRecord> record) {
        if (launchChanges) return plan;
        List<String> current = record.map(r -> r.currentInstances(plan.launchSource())).orElse(List.of());
        if (current.isEmpty()) return plan;
        return new ReplacementPlan(plan.groupName(), plan.capacity(), plan.launchSource(), plan.instances(),
                plan.toReplace().stream().filter(id -> !current.contains(id)).toList());
    }

    /**
     * Whether the update changes what the transactors run: the change set says so, or (when it lists nothing, as a
     * parameter-only change can) the launch resource's definition differs from the deployed one, or a parameter it
     * refers to changes.
     */
    static boolean launchChanges(StackPreview preview, Optional<String> deployed, String template) {
        if (preview.listsLaunchChange()) return true;
        if (!preview.hasChanges() || deployed.isEmpty()) return false;
        try {
            JsonNode now = Json.mapper().readTree(template).path("Resources");
            JsonNode before = Json.mapper().readTree(deployed.get()).path("Resources");
            for (var it = now.fields(); it.hasNext(); ) {
                var resource = it.next();
                if (!StackPreview.LAUNCH_TYPES.contains(resource.getValue().path("Type").asText())) continue;
                if (!resource.getValue().equals(before.path(resource.getKey()))) return true;
                java.util.Set<String> refs = new java.util.HashSet<>();
                referencedParameters(resource.getValue(), refs);
                if (preview.parameters().stream().anyMatch(p -> p.changed() && refs.contains(p.key()))) return true;
            }
            return false;
        } catch (java.io.IOException e) {
            return true; // cannot tell: treat the instances as old rather than leave them on an old configuration
        }
    }

    /** Names used with Ref or inside Fn::Sub strings. */
    private static void referencedParameters(JsonNode node, java.util.Set<String> out) {
        if (node.isObject()) {
            if (node.size() == 1 && node.has("Ref")) out.add(node.get("Ref").asText());
            JsonNode sub = node.get("Fn::Sub");
            String text = sub == null ? null : sub.isTextual() ? sub.asText() : sub.path(0).asText(null);
            if (text != null) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{([A-Za-z0-9]+)}").matcher(text);
                while (m.find()) out.add(m.group(1));
            }
            node.elements().forEachRemaining(child -> referencedParameters(child, out));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> referencedParameters(child, out));
        }
    }

    private static int count(EnsureResult a, EnsureResult b, ResourceChange.Action action) {
        return (int) java.util.stream.Stream.concat(a.resources().stream(), b.resources().stream())
                .filter(r -> r.action() == action).count();
    }

    /**
     * An update never swaps the stack's launch resource type by surprise: a stack with a launch configuration keeps
     * one (template.launch=configuration) until the operator allows the move to a launch template.
     */
    private void refuseLaunchChange(String deployed, StackInputs in, GeneratedTemplate template) {
        if (ctx.allowances().launchChange()) return;
        List<String> types = io.datomicgitops.stack.StackTemplate.parse(deployed, "deployed template").resources().stream()
                .map(io.datomicgitops.stack.StackTemplate.Resource::type).filter(StackPreview.LAUNCH_TYPES::contains).toList();
        String wanted = template.launchResourceId().equals(TemplateGenerator.LAUNCH_CONFIGURATION)
                ? "AWS::AutoScaling::LaunchConfiguration" : "AWS::EC2::LaunchTemplate";
        if (!types.isEmpty() && !types.contains(wanted)) {
            String has = types.get(0).equals("AWS::AutoScaling::LaunchConfiguration") ? "configuration" : "template";
            throw new io.datomicgitops.ToolException(io.datomicgitops.ExitCode.INVALID_CONFIG,
                    "stack " + in.stackName() + " runs a launch " + has + ", and the template would replace it with a launch "
                            + (has.equals("template") ? "configuration" : "template"), in.folder().gitPath(StackFolder.DEPLOY),
                    "set template.launch=" + has + " to keep it, or pass --allow-launch-change to move the stack on purpose");
        }
    }

    /** The deployed template differs from the committed one: someone changed the stack outside the pipeline. */
    private static Optional<String> templateDrift(Optional<String> deployed, StackInputs in) {
        if (deployed.isEmpty() || in.committedTemplate().isEmpty()) return Optional.empty();
        if (sameJson(deployed.get(), in.committedTemplate().get())) return Optional.empty();
        return Optional.of("the deployed template of " + in.stackName() + " differs from the committed "
                + in.folder().gitPath(StackFolder.TEMPLATE) + " (changed outside the pipeline?)");
    }

    /** A resource the file names but that is gone from AWS (ensure would create it again). */
    private static List<String> goneResources(EnsureResult plan, PropertiesFile file) {
        List<String> out = new ArrayList<>();
        for (ResourceChange r : plan.resources()) {
            if (r.action() == ResourceChange.Action.CREATE && r.key() != null && file.get(r.key()).isPresent()) {
                out.add(file.where(r.key()) + ": " + r.key() + "=" + r.name() + " names a " + r.kind().label()
                        + " that does not exist in AWS");
            }
        }
        return out;
    }

    static boolean sameJson(String a, String b) {
        try {
            JsonNode x = Json.mapper().readTree(a);
            JsonNode y = Json.mapper().readTree(b);
            return x.equals(y);
        } catch (java.io.IOException e) {
            return a.strip().equals(b.strip());
        }
    }
}
