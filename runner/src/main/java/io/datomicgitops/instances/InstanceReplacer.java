package io.datomicgitops.instances;

import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.instances.ReplacementPlan.InstanceState;
import io.datomicgitops.report.Log;
import io.datomicgitops.wait.Sleeper;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Instance;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Replaces the transactor instances of an autoscaling group that run an older launch template version or launch
 * configuration than the group's current one (or all of them), with the chosen strategy, waiting for each new instance
 * to be ready, and recording how long the group had no InService instance.
 */
public final class InstanceReplacer {
    private final AwsClients aws;
    private final String region;
    private final Log log;
    private final Clock clock;
    private final Sleeper sleeper;
    private final HealthProbe probe;
    private final GroupReader reader;

    public InstanceReplacer(AwsClients aws, String region, Log log, Clock clock) {
        this(aws, region, log, clock, Sleeper.REAL, new HttpHealthProbe());
    }

    public InstanceReplacer(AwsClients aws, String region, Log log, Clock clock, Sleeper sleeper, HealthProbe probe) {
        this.aws = aws;
        this.region = region;
        this.log = log;
        this.clock = clock;
        this.sleeper = sleeper;
        this.probe = probe;
        this.reader = new GroupReader(aws, region);
    }

    /** Which instances a replacement would replace: the old ones, or all with {@code all}. */
    public ReplacementPlan plan(String groupName, boolean all) {
        return plan(groupName, all, Set.of(), Optional.empty());
    }

    /**
     * @param onlyInstances when not empty, only these instances are candidates (e.g. those running before the stack
     *                      update: an instance launched after it is on the new configuration by construction)
     * @param activeInstance the active transactor when known: replaced last
     */
    public ReplacementPlan plan(String groupName, boolean all, Set<String> onlyInstances, Optional<String> activeInstance) {
        return plan(read(groupName), all, onlyInstances, activeInstance);
    }

    /** The group as it is now, with what it launches from and its instances' EC2 details: what a plan decides on. */
    public record GroupSnapshot(String groupName, AutoScalingGroup group, LaunchSource current, Optional<Long> latestTemplateVersion,
                                Map<String, software.amazon.awssdk.services.ec2.model.Instance> ec2) {
        public java.util.Set<String> instanceIds() {
            return group.instances().stream().map(Instance::instanceId).collect(java.util.stream.Collectors.toUnmodifiableSet());
        }

        /**
         * The group launches from an older version of its launch template than the template's latest: a stack update
         * made the version, and the run that made it stopped before pointing the group at it and replacing the
         * instances (a cut or refused answer, a kill). The group's own instances then look current, though they run
         * the old launch.
         */
        public boolean behindTemplate() {
            return current.kind() == LaunchSource.Kind.TEMPLATE && LaunchSource.isNumber(current.version())
                    && latestTemplateVersion.map(latest -> Long.parseLong(current.version()) < latest).orElse(false);
        }
    }

    /** Reads the group once, so that a plan can be made from it later (e.g. when a preview has said what changes). */
    public GroupSnapshot read(String groupName) {
        return read(reader, groupName);
    }

    /**
     * As {@link #read(String)}, for a plan: the region's groups, launch templates and instances are read once for
     * every stack the run plans, not per group.
     */
    public GroupSnapshot readForPlan(String groupName) {
        return read(new GroupReader(aws, region, true), groupName);
    }

    private static GroupSnapshot read(GroupReader reader, String groupName) {
        AutoScalingGroup g = reader.group(groupName);
        GroupReader.Launch launch = reader.launch(g);
        return new GroupSnapshot(groupName, g, launch.current(), launch.latestTemplateVersion(),
                reader.ec2(g.instances().stream().map(Instance::instanceId).toList()));
    }

    /** What the group launches new instances from now (no instance is read). */
    public LaunchSource launchSource(String groupName) {
        return reader.current(reader.group(groupName));
    }

    /** Which instances a replacement would replace, decided on a snapshot (no AWS call). */
    public ReplacementPlan plan(GroupSnapshot snapshot, boolean all) {
        return plan(snapshot, all, Set.of(), Optional.empty());
    }

    private ReplacementPlan plan(GroupSnapshot snapshot, boolean all, Set<String> onlyInstances, Optional<String> activeInstance) {
        AutoScalingGroup g = snapshot.group();
        String groupName = snapshot.groupName();
        LaunchSource current = snapshot.current();
        Map<String, software.amazon.awssdk.services.ec2.model.Instance> ec2 = snapshot.ec2();
        List<InstanceState> states = new ArrayList<>();
        List<InstanceState> candidates = new ArrayList<>();
        for (Instance i : g.instances()) {
            var e = Optional.ofNullable(ec2.get(i.instanceId()));
            LaunchSource from = GroupReader.launchedFrom(i, e);
            Optional<String> why = current.whyOld(from);
            boolean old = all || why.isPresent();
            String reason = why.orElse(all ? "current, replaced because all instances were asked for" : "current");
            boolean leaving = i.lifecycleStateAsString().startsWith("Terminat") || i.lifecycleStateAsString().startsWith("Detach");
            if (old && leaving) reason += " (leaving the group already)";
            boolean excluded = !onlyInstances.isEmpty() && !onlyInstances.contains(i.instanceId());
            if (old && excluded) reason += " (left alone: not among the instances to replace)";
            InstanceState s = new InstanceState(i.instanceId(),
                    e.map(software.amazon.awssdk.services.ec2.model.Instance::instanceTypeAsString).orElse(i.instanceType()),
                    i.lifecycleStateAsString(), i.healthStatus(), from.toString(),
                    e.map(x -> x.launchTime() == null ? null : x.launchTime().toString()).orElse(null),
                    e.map(software.amazon.awssdk.services.ec2.model.Instance::privateIpAddress).orElse(null), old, reason);
            states.add(s);
            if (old && !leaving && !excluded) candidates.add(s);
        }
        // standby first: with no better knowledge the newest instance is the standby (each instance this tool
        // launches joins as standby); the named active instance goes last
        candidates.sort(Comparator.comparing((InstanceState s) -> activeInstance.map(a -> a.equals(s.instanceId())).orElse(false))
                .thenComparing(s -> s.launchTime() == null ? Instant.MIN : Instant.parse(s.launchTime()), Comparator.reverseOrder()));
        return new ReplacementPlan(groupName, GroupReader.capacity(g), current.toString(), states,
                candidates.stream().map(InstanceState::instanceId).toList());
    }

    /**
     * Replaces what {@link #plan} finds. Nothing to replace is success. Throws {@link ReplacementFailedException} (with
     * the result: old and new instances, capacity restored) on a timeout or failure.
     */
    public ReplacementResult replace(ReplacementRequest request) {
        ReplacementPlan plan = plan(request.groupName(), request.all(), request.onlyInstances(), request.activeInstance());
        List<String> warnings = new ArrayList<>();
        GroupOps ops = new GroupOps(aws.autoScaling(region), reader, request.groupName(), clock, sleeper, log);
        Readiness readiness = new Readiness(probe, request.endpoint(),
                request.heartbeat().map(h -> new HeartbeatWatch(aws.cloudWatch(h.region()), h, clock)),
                request.warmup(), clock, log);
        ReplacementRun run = new ReplacementRun(request, plan, ops, readiness, reader, aws.autoScaling(region), clock, log, warnings);
        if (plan.nothingToReplace()) {
            ops.note("nothing to replace: every instance runs " + plan.launchSource());
            return run.result(ReplacementOutcome.NOTHING_TO_REPLACE);
        }
        ops.note("replacing " + plan.toReplace() + " with " + request.strategy() + " (" + plan.capacity() + ")");
        readiness.calibrate(plan.instances().stream()
                .filter(i -> "InService".equals(i.lifecycleState()) && i.privateIp() != null)
                .map(InstanceState::privateIp).toList(), warnings);
        ReplacementResult result = switch (request.strategy()) {
            case SURGE -> new SurgeStrategy().run(run);
            case TERMINATE -> new TerminateStrategy().run(run);
            case INSTANCE_REFRESH -> new InstanceRefreshStrategy(aws.autoScaling(region)).run(run);
        };
        try {
            run.checkEveryInstanceIsCurrent();
        } catch (ReplacementRun.Stop stop) {
            throw run.failed(stop);
        }
        ops.note("replaced " + result.replaced() + " with " + result.launched() + "; no InService instance for "
                + result.zeroInServiceSeconds() + "s");
        return result;
    }
}
