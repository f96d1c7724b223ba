package io.datomicgitops.cli;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.configrepo.StackFolder;
import io.datomicgitops.configrepo.StackInputs;
import io.datomicgitops.deploy.Deployments;
import io.datomicgitops.deploy.PlanSummary;
import io.datomicgitops.deploy.StackPlan;
import io.datomicgitops.ensure.EnsureResult;
import io.datomicgitops.ensure.ResourceChange;
import io.datomicgitops.git.GitAuth;
import io.datomicgitops.git.GitRepo;
import io.datomicgitops.instances.Capacity;
import io.datomicgitops.instances.InstanceReplacer;
import io.datomicgitops.instances.ReplacementPlan;
import io.datomicgitops.record.DeploymentRecord;
import io.datomicgitops.stack.StackDeployer;
import io.datomicgitops.stack.StackInfo;
import io.datomicgitops.stack.StackPreview;
import io.datomicgitops.template.TemplateGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What is deployed now, and whether it is what the config at HEAD says: per stack, its CloudFormation status, in sync
 * or out of sync (from the plan: in sync means an apply would change nothing, and each difference is said in a line),
 * its transactor instances (type, age, Datomic version) and the last deployment record.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show each stack's CloudFormation status; whether AWS is in sync with the config at HEAD, and if not "
                + "what differs (the plan's findings: resources, keys, template, stack changes, instances to replace, drift); "
                + "its transactor instances with their type, age and Datomic version; and the last deployment recorded in git. "
                + "Read-only (the plan's change set is created and deleted, never executed).",
                "Exit 0: every stack in sync, 2: a stack is out of sync, other: error."})
public final class StatusCommand extends BaseCommand {
    @Mixin
    StackOptions stacks;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "8", description = "stacks read at once (default: ${DEFAULT-VALUE})")
    int parallel;

    /** One stack as status sees it: what report.json carries in {@code stacks.<name>}. */
    @JsonPropertyOrder({"stackName", "region", "status", "updatedAt", "inSync", "head", "differences", "datomicVersion", "group",
            "capacity", "launchSource", "instances", "lastDeployment", "plan"})
    public record StackStatus(String stackName, String region, String status, String updatedAt, boolean inSync, String head,
                              List<String> differences, String datomicVersion, String group, Capacity capacity, String launchSource,
                              List<InstanceStatus> instances, DeploymentRecord lastDeployment, PlanSummary plan) {}

    /**
     * A transactor instance: its type, launch time and age, and the Datomic version it runs — the stack's DatomicVersion
     * parameter for an instance on the group's current launch source, "unknown" for an older one (what it was launched
     * with is not readable without the launch template's user data). current: it runs what the group launches now;
     * toReplace: an apply of HEAD would replace it.
     */
    @JsonPropertyOrder({"instanceId", "instanceType", "launchTime", "ageSeconds", "age", "datomicVersion", "lifecycleState", "health",
            "privateIp", "launchedFrom", "current", "toReplace", "reason"})
    public record InstanceStatus(String instanceId, String instanceType, String launchTime, Long ageSeconds, String age,
                                 String datomicVersion, String lifecycleState, String health, String privateIp, String launchedFrom,
                                 boolean current, boolean toReplace, String reason) {}

    static final String UNKNOWN = "unknown";

    @Override
    protected ExitCode execute() {
        try (GitRepo repo = GitRepo.open(stacks.dir, GitAuth.none(), env(), console)) {
            List<StackFolder> selected = stacks.select(repo);
            String head = repo.head();
            List<String> dirty = repo.uncommittedChanges().stream()
                    .filter(p -> selected.stream().anyMatch(s -> p.startsWith(s.relativeDir() + "/"))).toList();
            if (!dirty.isEmpty()) {
                console.warn("uncommitted changes in the stack folders (" + String.join(", ", dirty)
                        + "): status compares AWS with these files, not with HEAD");
            }
            Deployments deployments = new Deployments(deployContext(stacks.allowances()), report);
            List<StackStatus> views = new ArrayList<>();
            if (!selected.isEmpty()) {
                ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, selected.size())));
                try {
                    List<Future<StackStatus>> futures = new ArrayList<>();
                    for (StackFolder f : selected) futures.add(pool.submit(() -> status(repo, f, head, deployments)));
                    for (Future<StackStatus> fu : futures) views.add(Deployments.await(fu, "status"));
                } finally {
                    pool.shutdownNow();
                }
            }
            int outOfSync = 0;
            for (int i = 0; i < selected.size(); i++) {
                StackStatus s = views.get(i);
                lines(selected.get(i).name(), s).forEach(console::println);
                report.putStack(selected.get(i).name(), s);
                if (!s.inSync()) outOfSync++;
            }
            console.println(selected.size() + " stack(s): " + (selected.size() - outOfSync) + " in sync, " + outOfSync
                    + " out of sync with HEAD " + shortId(head));
            return outOfSync > 0 ? ExitCode.CHANGES_PENDING : ExitCode.OK;
        }
    }

    /** Reads one stack: the stack itself first (DescribeStacks), then the plan of HEAD, whose group read gives the instances. */
    private StackStatus status(GitRepo repo, StackFolder folder, String head, Deployments deployments) {
        StackInputs in = StackInputs.read(folder, overrides(), aws().settings(), env());
        String name = in.stackName();
        StackDeployer deployer = new StackDeployer(aws(), in.region(), console, clock());
        Optional<StackInfo> info = deployer.describe(name);
        StackPlan plan = null;
        String refused = null;
        try {
            plan = deployments.plan(repo, List.of(folder), 1).get(0);
        } catch (ToolException e) {
            // the plan refuses what apply would refuse (a launch type swap, missing generated names): a difference, not a failure
            if (e.exitCode() != ExitCode.INVALID_CONFIG) throw e;
            refused = e.getMessage();
        }
        boolean running = info.isPresent() && !info.get().isReviewOnly();
        ReplacementPlan group = plan != null ? plan.instances()
                : running ? new InstanceReplacer(aws(), in.region(), console, clock()).plan(deployer.autoScalingGroupName(name), false) : null;
        Optional<DeploymentRecord> record = DeploymentRecord.parse(in.recordJson());
        String version = info.map(i -> i.parameters().get(TemplateGenerator.DATOMIC_VERSION_PARAMETER)).filter(v -> !v.isBlank()).orElse(UNKNOWN);
        List<InstanceStatus> instances = group == null ? List.of()
                : instances(group, record, version, plan != null && plan.launchChanges(), clock().instant());
        List<String> differences = plan != null ? differences(plan, record) : List.of("cannot plan: " + refused);
        return new StackStatus(name, in.region(), info.map(StackInfo::status).orElse("NOT_FOUND"),
                info.map(i -> i.updatedAt() == null ? i.createdAt() : i.updatedAt()).orElse(null),
                plan != null && !plan.changes(), head, differences, running ? version : null,
                group == null ? null : group.groupName(), group == null ? null : group.capacity(),
                group == null ? null : group.launchSource(), instances, record.orElse(null), plan == null ? null : plan.summary());
    }

    /**
     * The instances with what status adds: an instance is current when it runs what the group launches from now (or the
     * last deployment launched it from that source: its launch tags may lag); it runs the stack's Datomic version then.
     */
    static List<InstanceStatus> instances(ReplacementPlan group, Optional<DeploymentRecord> record, String stackVersion,
                                          boolean launchChanges, Instant now) {
        List<String> launchedByLastDeployment = record.map(r -> r.currentInstances(group.launchSource())).orElse(List.of());
        List<InstanceStatus> out = new ArrayList<>();
        for (ReplacementPlan.InstanceState i : group.instances()) {
            boolean current = !i.old() || launchedByLastDeployment.contains(i.instanceId());
            boolean toReplace = group.toReplace().contains(i.instanceId());
            String reason = !current ? i.reason()
                    : toReplace && launchChanges ? "the update at HEAD changes what the transactors launch from"
                    : i.old() ? "launched by the last deployment from " + group.launchSource() : i.reason();
            Long age = age(i.launchTime(), now);
            out.add(new InstanceStatus(i.instanceId(), i.instanceType(), i.launchTime(), age, age == null ? UNKNOWN : human(age),
                    current ? stackVersion : UNKNOWN, i.lifecycleState(), i.health(), i.privateIp(), i.launchedFrom(), current, toReplace, reason));
        }
        return out;
    }

    /** What an apply of HEAD would change, a short line each, from the plan's findings. */
    static List<String> differences(StackPlan plan, Optional<DeploymentRecord> record) {
        PlanSummary s = plan.summary();
        List<String> out = new ArrayList<>();
        if (!s.changes()) return out;
        if (!s.stackExists()) out.add("the stack does not exist: apply creates it");
        for (EnsureResult e : new EnsureResult[]{plan.ensureTransactor(), plan.ensureCf()}) {
            if (e == null) continue;
            for (ResourceChange r : e.resources()) {
                if (!r.action().changes()) continue;
                out.add(r.kind().label() + " " + r.name() + ": " + switch (r.action()) {
                    case CREATE -> "to create";
                    case UPDATE -> "to update (" + String.join(", ", r.differences().stream().map(ResourceChange.Difference::field).toList()) + ")";
                    default -> "found again by its tags, its name to write back";
                });
            }
        }
        if (plan.ensureTransactor() == null && plan.ensureCf() == null && s.resourcesToCreate() + s.resourcesToUpdate() > 0) {
            out.add("AWS resources: " + s.resourcesToCreate() + " to create, " + s.resourcesToUpdate() + " to update");
        }
        if (!s.keysToWrite().isEmpty()) out.add("keys to write: " + String.join(", ", s.keysToWrite()));
        if (s.templateChanged()) {
            out.add("the template the properties make differs from " + StackFolder.TEMPLATE + " (" + s.templateDiffLines() + " diff lines)");
        }
        StackPreview preview = plan.stackPreview();
        if (s.stackExists() && preview != null) {
            if (!preview.changes().isEmpty()) {
                out.add("stack: " + preview.changes().size() + " change(s): " + String.join(", ", preview.changes().stream()
                        .map(c -> c.action() + " " + c.logicalId() + ("True".equals(c.replacement()) ? " (replaced)" : "")).toList()));
            }
            for (StackPreview.ParameterValue p : preview.parameters()) {
                if (p.changed()) out.add("stack parameter " + p.key() + ": " + p.previous() + " -> " + p.value());
            }
        }
        ReplacementPlan group = plan.instances();
        if (s.instancesToReplace() > 0 && group != null) {
            for (String id : group.toReplace()) {
                String why = plan.launchChanges() ? "the update changes what the transactors launch from"
                        : group.instances().stream().filter(i -> i.instanceId().equals(id)).map(ReplacementPlan.InstanceState::reason)
                        .findFirst().orElse("old");
                out.add("instance " + id + " to replace (" + s.strategy() + "): " + why);
            }
        }
        if (!s.recordUpToDate()) {
            out.add(record.map(r -> StackFolder.RECORD + " records commit " + shortId(r.deployedCommit()) + ", not these files")
                    .orElse("no deployment recorded (" + StackFolder.RECORD + ")"));
        }
        s.drift().forEach(d -> out.add("drift: " + d));
        if (out.isEmpty()) out.add(s.oneLine());
        return out;
    }

    /** What the console shows for one stack. */
    static List<String> lines(String stack, StackStatus s) {
        List<String> out = new ArrayList<>();
        out.add(stack + ": stack " + s.stackName() + " (" + s.region() + ") " + s.status()
                + (s.updatedAt() == null ? "" : ", updated " + s.updatedAt())
                + (s.datomicVersion() == null ? "" : ", Datomic " + s.datomicVersion()));
        if (s.inSync()) {
            out.add("  in sync with HEAD " + shortId(s.head()));
        } else {
            out.add("  OUT OF SYNC with HEAD " + shortId(s.head()) + ": an apply would change");
            s.differences().forEach(d -> out.add("    - " + d));
        }
        if (s.group() != null) {
            out.add("  group " + s.group() + " (" + s.capacity() + "), launching from " + s.launchSource());
            for (InstanceStatus i : s.instances()) {
                out.add("  " + i.instanceId() + " " + (i.instanceType() == null ? "(type unknown)" : i.instanceType()) + ", up " + i.age()
                        + ", Datomic " + i.datomicVersion() + ", " + i.lifecycleState() + "/" + i.health()
                        + (i.privateIp() == null ? "" : ", " + i.privateIp())
                        + (i.current() ? "" : ", old: " + i.reason())
                        + (i.toReplace() ? ", to replace" : ""));
            }
        }
        DeploymentRecord r = s.lastDeployment();
        if (r != null) {
            out.add("  last deployment: " + r.finishedAt() + " commit " + shortId(r.deployedCommit())
                    + " approved by " + orDash(r.approvedBy()) + ", " + orDash(r.status())
                    + ", " + (r.instancesReplaced() == null ? 0 : r.instancesReplaced().size()) + " instance(s) replaced (" + orDash(r.strategy()) + ")");
        }
        return out;
    }

    static Long age(String launchTime, Instant now) {
        if (launchTime == null) return null;
        try {
            return Math.max(0, Duration.between(Instant.parse(launchTime), now).toSeconds());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** "3d 4h", "5h 12m", "42m", "30s". */
    static String human(long seconds) {
        Duration d = Duration.ofSeconds(seconds);
        if (d.toDays() > 0) return d.toDays() + "d " + d.toHoursPart() + "h";
        if (d.toHours() > 0) return d.toHours() + "h " + d.toMinutesPart() + "m";
        if (d.toMinutes() > 0) return d.toMinutes() + "m";
        return d.toSeconds() + "s";
    }

    private static String orDash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }

    private static String shortId(String id) {
        return id == null ? "-" : id.substring(0, Math.min(10, id.length()));
    }
}
