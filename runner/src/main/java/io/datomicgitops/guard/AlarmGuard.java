package io.datomicgitops.guard;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.configrepo.StackFolder;
import io.datomicgitops.configrepo.StackInputs;
import io.datomicgitops.git.GitRepo;
import io.datomicgitops.instances.InstanceReplacer;
import io.datomicgitops.instances.LaunchTemplateVersion;
import io.datomicgitops.instances.ReplacementResult;
import io.datomicgitops.record.DeploymentRecord;
import io.datomicgitops.report.Log;
import io.datomicgitops.stack.RollbackTriggers;
import io.datomicgitops.stack.StackDeployer;
import io.datomicgitops.stack.StackRequest;
import io.datomicgitops.wait.Sleeper;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The alarms that guard one stack's deployment. Before the stack update ({@link #arm}): the standard alarms exist, every
 * alarm is found, and the update carries them as CloudFormation's rollback triggers. After the last new transactor is
 * active ({@link #bake}): apply watches them through the bake time, and an alarm in ALARM rolls the deployment back —
 * the previous template through a change set, the instances back with the same strategy — and fails the run, naming
 * the alarm, its reason and what was rolled back. A stack's first deployment has nothing to return to: it is not guarded.
 */
public final class AlarmGuard {
    private final AwsClients aws;
    private final StackInputs in;
    private final GuardSettings settings;
    private final Optional<GuardRollback.Previous> previous;
    private final Log log;
    private final Clock clock;
    private final Sleeper sleeper;

    AlarmGuard(AwsClients aws, StackInputs in, GuardSettings settings, Optional<GuardRollback.Previous> previous, Log log, Clock clock,
               Sleeper sleeper) {
        this.aws = aws;
        this.in = in;
        this.settings = settings;
        this.previous = previous;
        this.log = log;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * The guard of a stack's deployment. {@code deployedTemplate}: the template the stack ran as the plan read it (empty:
     * no stack yet). The rollback returns to the last deployed commit's cf.json (deployment.json's deployedCommit), or
     * to that template when the clone does not hold the commit (a shallow clone).
     */
    public static AlarmGuard of(AwsClients aws, StackInputs in, GitRepo repo, Optional<String> deployedTemplate, Log log, Clock clock) {
        GuardSettings settings = GuardSettings.from(in.deploy(), in.tx(), in.region());
        Optional<GuardRollback.Previous> previous = Optional.empty();
        if (settings.enabled() && deployedTemplate.isPresent()) {
            Optional<String> commit = DeploymentRecord.parse(in.recordJson()).map(DeploymentRecord::deployedCommit);
            Optional<String> atCommit = commit.flatMap(c -> repo.readAt(c, in.folder().gitPath(StackFolder.TEMPLATE)));
            previous = Optional.of(atCommit.isPresent() ? new GuardRollback.Previous(atCommit.get(), commit)
                    : new GuardRollback.Previous(deployedTemplate.get(), Optional.empty()));
        }
        return new AlarmGuard(aws, in, settings, previous, log, clock, Sleeper.REAL);
    }

    /**
     * What the plan checks before any change: the guard keys (exit 3 when the guard cannot work), and that every alarm
     * named in guard-alarms exists in the stack's region (the standard ones are created by apply).
     */
    public static void check(AwsClients aws, StackInputs in) {
        GuardSettings settings = GuardSettings.from(in.deploy(), in.tx(), in.region());
        if (settings.alarms().isEmpty()) return;
        List<String> named = settings.alarms().stream().map(GuardSettings::nameOf).toList();
        requireFound(in, named, AlarmStates.read(aws.cloudWatch(in.region()), named));
    }

    private static void requireFound(StackInputs in, List<String> names, Map<String, AlarmStates.State> found) {
        List<String> missing = new ArrayList<>(names);
        missing.removeAll(found.keySet());
        if (!missing.isEmpty()) {
            throw new ToolException(ExitCode.INVALID_CONFIG, "no alarm " + String.join(", ", missing) + " in " + in.region(),
                    in.deploy().where("guard-alarms"), "create the alarm in the stack's region, or correct guard-alarms");
        }
    }

    private boolean active() {
        return settings.enabled() && previous.isPresent();
    }

    private CloudWatchClient cw() {
        return aws.cloudWatch(in.region());
    }

    /**
     * The request carrying the alarms as rollback triggers, once the standard ones exist and every one is found; the
     * request unchanged when nothing guards the deployment.
     */
    public StackRequest arm(StackRequest request) {
        if (!settings.enabled()) return request;
        if (previous.isEmpty()) {
            log.progress("guard: the stack's first deployment has no previous one to return to: it is not guarded");
            return request;
        }
        List<String> names = settings.alarmNames(in.stackName());
        Map<String, AlarmStates.State> found = AlarmStates.read(cw(), names);
        if (settings.standardAlarms() && ensureStandardAlarms(found)) found = AlarmStates.read(cw(), names);
        requireFound(in, names, found);
        Map<String, AlarmStates.State> byName = found;
        List<String> arns = names.stream().map(n -> byName.get(n).arn()).toList();
        log.progress("guard: the stack update carries " + names.size() + " rollback trigger(s), monitoring "
                + GuardMarkdown.human(settings.monitoring()));
        return request.withRollbackTriggers(new RollbackTriggers(arns, settings.monitoring()));
    }

    /** Creates or corrects the standard alarms; true when it did (their ARNs are then read again). */
    private boolean ensureStandardAlarms(Map<String, AlarmStates.State> found) {
        Map<String, MetricAlarm> metricAlarms = new LinkedHashMap<>();
        found.forEach((name, s) -> { if (s.metric() != null) metricAlarms.put(name, s.metric()); });
        return StandardAlarms.ensure(cw(), in.stackName(), settings.dimension().orElseThrow(), metricAlarms, log);
    }

    /**
     * Watches the alarms through the bake time after the last new transactor is active. An alarm in ALARM rolls the
     * deployment back and throws, naming the alarm, its reason and what was rolled back.
     *
     * @param deployed    the request the stack update ran (its secrets and tags are reused)
     * @param group       the stack's autoscaling group
     * @param replacement what the deployment replaced (null: no instance)
     */
    public void bake(StackRequest deployed, String group, ReplacementResult replacement) {
        if (!active()) return;
        List<String> names = settings.alarmNames(in.stackName());
        Optional<AlarmStates.State> alarmed = new AlarmWatch(cw(), clock, sleeper, log).watch(names, settings.bake());
        if (alarmed.isEmpty()) {
            log.progress("guard: no alarm in " + GuardMarkdown.human(settings.bake()) + ": the deployment stays");
            return;
        }
        AlarmStates.State alarm = alarmed.get();
        String what = "alarm " + alarm.name() + " went to ALARM during the bake: "
                + (alarm.reason() == null || alarm.reason().isBlank() ? "(CloudWatch gives no reason)" : alarm.reason());
        log.warn("guard: " + what + "; rolling the deployment back");
        String region = in.region();
        GuardRollback rollback = new GuardRollback(new StackDeployer(aws, region, log, clock, sleeper),
                new InstanceReplacer(aws, region, log, clock), new LaunchTemplateVersion(aws, region, log));
        String rolledBack;
        try {
            rolledBack = rollback.run(in, deployed, previous.orElseThrow(), group, replacement != null && !replacement.replaced().isEmpty());
        } catch (RuntimeException e) {
            throw new ToolException(ExitCode.FAILED, what + "; the rollback failed too: " + e.getMessage(), "stack " + deployed.stackName(),
                    "return the stack to " + previous.get().describe() + " by hand (update-stack, then replace-instances), "
                            + "then fix or revert the change in git", e);
        }
        throw new ToolException(ExitCode.FAILED, what + "; rolled back: " + rolledBack, "stack " + deployed.stackName(),
                "read the alarm and the transactors' logs; the change does not run: fix it in git, then re-run");
    }
}
