package io.datomicgitops.cli;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.configrepo.StackSettings;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.instances.HealthEndpoint;
import io.datomicgitops.instances.InstanceReplacer;
import io.datomicgitops.instances.ReplacementFailedException;
import io.datomicgitops.instances.ReplacementOutcome;
import io.datomicgitops.instances.ReplacementPlan;
import io.datomicgitops.instances.ReplacementRequest;
import io.datomicgitops.instances.ReplacementResult;
import io.datomicgitops.instances.Strategy;
import io.datomicgitops.stack.StackDeployer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Replaces the transactor instances that run an older launch template version or configuration than the group's. */
@Command(name = "replace-instances", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replace the transactor instances of the stack's autoscaling group that were launched from an older launch"
                + " template version or launch configuration (or all with --all), with the strategy of replace-strategy:"
                + " surge (default: new instance first, one failover), terminate (the runbook), instance-refresh.",
                "--plan lists what would be replaced (exit 2 when something would be)."})
public final class ReplaceInstancesCommand extends BaseCommand {
    @Option(names = "--stack-dir", paramLabel = "DIR", description = "stack folder: deploy.properties and transactor.properties")
    Path stackDir;

    @Option(names = "--stack-name", paramLabel = "NAME", description = "CloudFormation stack whose group to use (default: stack-name)")
    String stackName;

    @Option(names = "--group", paramLabel = "NAME", description = "the autoscaling group (default: the stack's, read from its resources)")
    String group;

    @Option(names = "--strategy", paramLabel = "STRATEGY", description = "surge, terminate or instance-refresh (default: replace-strategy, surge)")
    Strategy strategy;

    @Option(names = "--all", description = "replace every instance, not only the old ones")
    boolean all;

    @Option(names = "--instances", paramLabel = "ID", split = ",", description = "only these instances are candidates (e.g. those running before the stack update)")
    List<String> instances = new ArrayList<>();

    @Option(names = "--active-instance", paramLabel = "ID", description = "the active transactor, replaced last (default: the oldest instance)")
    String activeInstance;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "the whole replacement (default: replace-timeout, 20m)")
    Duration timeout;

    @Option(names = "--health-timeout", paramLabel = "DURATION", description = "each new instance to become ready (default: health-timeout, 10m)")
    Duration healthTimeout;

    @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "0s", description = "extra wait after a new instance is ready (default: ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(names = "--transactor-properties", paramLabel = "FILE",
            description = "for ping-host/ping-port and the CloudWatch keys (default: DIR/transactor.properties)")
    Path transactorProperties;

    @Option(names = "--ping-port", paramLabel = "PORT", description = "the transactor health endpoint's port (default: ping-port of the transactor properties)")
    Integer pingPort;

    @Option(names = "--plan", description = "list what would be replaced; change nothing")
    boolean plan;

    @Override
    protected ExitCode execute() {
        StackSettings settings = StackDirectory.settings(this, stackDir,
                overrides().withStackName(stackName).withReplacement(strategy, timeout, healthTimeout));
        String region = settings.region().orElse(null);
        // the options and the transactor file are checked before any AWS call
        ReplacementRequest options = request(group != null ? group : "-", settings);
        String groupName = group != null ? group : new StackDeployer(aws(), region, console, clock())
                .autoScalingGroupName(settings.requireStackName("replace-instances"));
        InstanceReplacer replacer = new InstanceReplacer(aws(), region, console, clock());
        Instant start = clock().instant();
        String stack = settings.stackName().orElse(null);

        if (plan) {
            ReplacementPlan p = replacer.plan(groupName, all, Set.copyOf(instances), Optional.ofNullable(activeInstance));
            for (ReplacementPlan.InstanceState i : p.instances()) {
                console.println((p.toReplace().contains(i.instanceId()) ? "replace " : "keep    ") + i.instanceId() + " "
                        + i.lifecycleState() + "/" + i.health() + ": " + i.reason());
            }
            console.println("group " + groupName + ": " + (p.nothingToReplace() ? "nothing to replace" : p.toReplace().size() + " to replace"));
            report.addPhase(null, "plan-instances", p.nothingToReplace() ? "no-changes" : "changes",
                    Duration.between(start, clock().instant()), p.toReplace().size() + " to replace", p);
            return p.nothingToReplace() ? ExitCode.OK : ExitCode.CHANGES_PENDING;
        }

        ReplacementRequest request = options.withGroup(groupName);
        try {
            ReplacementResult r = replacer.replace(request);
            report.addPhase(stack, "replace-instances", r.outcome().label(), Duration.between(start, clock().instant()), summary(r), r);
            console.println("group " + groupName + ": " + summary(r));
            return ExitCode.OK;
        } catch (ReplacementFailedException e) {
            report.addPhase(stack, "replace-instances", e.result().outcome().label(), Duration.between(start, clock().instant()),
                    summary(e.result()), e.result());
            throw e;
        }
    }

    private static String summary(ReplacementResult r) {
        if (r.outcome() == ReplacementOutcome.NOTHING_TO_REPLACE) return "nothing to replace";
        return r.outcome() + " " + r.replaced() + " with " + r.launched() + " (" + r.strategy() + "), no InService instance for "
                + r.zeroInServiceSeconds() + "s";
    }

    /**
     * The request apply would send for this stack ({@link StackSettings#replacementRequest}), with what the command
     * line adds: all instances or only some, a health port, a warm-up, the active instance.
     */
    ReplacementRequest request(String groupName, StackSettings settings) {
        Optional<PropertiesFile> tx = transactor();
        ReplacementRequest r = settings.replacementRequest(groupName, tx).withAll(all).withOnlyInstances(Set.copyOf(instances))
                .withWarmup(warmup).withActiveInstance(activeInstance);
        if (pingPort != null) r = r.withEndpoint(new HealthEndpoint(tx.flatMap(f -> f.get("ping-host")).orElse("0.0.0.0"), pingPort));
        return r;
    }

    private Optional<PropertiesFile> transactor() {
        Path file = transactorProperties != null ? transactorProperties : stackDir == null ? null : stackDir.resolve("transactor.properties");
        if (file == null || (transactorProperties == null && !Files.exists(file))) return Optional.empty();
        return Optional.of(PropertiesFile.read(file));
    }
}
