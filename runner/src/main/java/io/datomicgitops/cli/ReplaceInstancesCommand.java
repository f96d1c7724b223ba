package io.datomicgitops.cli;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.config.DeploySettings;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.instances.HealthEndpoint;
import io.datomicgitops.instances.HeartbeatMetric;
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
    String strategy;

    @Option(names = "--all", description = "replace every instance, not only the old ones")
    boolean all;

    @Option(names = "--instances", paramLabel = "ID", split = ",", description = "only these instances are candidates (e.g. those running before the stack update)")
    List<String> instances = new ArrayList<>();

    @Option(names = "--active-instance", paramLabel = "ID", description = "the active transactor, replaced last (default: the oldest instance)")
    String activeInstance;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "the whole replacement (default: replace-timeout, 20m)")
    String timeout;

    @Option(names = "--health-timeout", paramLabel = "DURATION", description = "each new instance to become ready (default: health-timeout, 10m)")
    String healthTimeout;

    @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "0s", description = "extra wait after a new instance is ready (default: ${DEFAULT-VALUE})")
    String warmup;

    @Option(names = "--transactor-properties", paramLabel = "FILE",
            description = "for ping-host/ping-port and the CloudWatch keys (default: DIR/transactor.properties)")
    Path transactorProperties;

    @Option(names = "--ping-port", paramLabel = "PORT", description = "the transactor health endpoint's port (default: ping-port of the transactor properties)")
    Integer pingPort;

    @Option(names = "--plan", description = "list what would be replaced; change nothing")
    boolean plan;

    @Override
    protected ExitCode execute() {
        Optional<DeploySettings> settings = stackDir == null ? Optional.empty() : Optional.of(DeploySettings.read(stackDir));
        String region = aws.explicitRegion() != null ? aws.explicitRegion() : settings.flatMap(DeploySettings::region).orElse(null);
        // the options (strategy, durations, transactor file) are checked before any AWS call
        ReplacementRequest options = request(group != null ? group : "-", settings);
        String groupName = group != null ? group : groupOfStack(settings, region);
        InstanceReplacer replacer = new InstanceReplacer(aws(), region, console, clock());
        Instant start = clock().instant();

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
            report.addPhase(settings.map(DeploySettings::stackName).orElse(stackName), "replace-instances", r.outcome().label(),
                    Duration.between(start, clock().instant()), summary(r), r);
            console.println("group " + groupName + ": " + summary(r));
            return ExitCode.OK;
        } catch (ReplacementFailedException e) {
            report.addPhase(settings.map(DeploySettings::stackName).orElse(stackName), "replace-instances", e.result().outcome().label(),
                    Duration.between(start, clock().instant()), summary(e.result()), e.result());
            throw e;
        }
    }

    private static String summary(ReplacementResult r) {
        if (r.outcome() == ReplacementOutcome.NOTHING_TO_REPLACE) return "nothing to replace";
        return r.outcome() + " " + r.replaced() + " with " + r.launched() + " (" + r.strategy() + "), no InService instance for "
                + r.zeroInServiceSeconds() + "s";
    }

    private String groupOfStack(Optional<DeploySettings> settings, String region) {
        String name = stackName != null ? stackName : settings.map(DeploySettings::stackName).orElseThrow(() ->
                new ToolException(ExitCode.USAGE, "no group named", "replace-instances", "pass --group NAME, --stack-name NAME or --stack-dir DIR"));
        return new StackDeployer(aws(), region, console, clock()).autoScalingGroupName(name);
    }

    private ReplacementRequest request(String groupName, Optional<DeploySettings> settings) {
        Strategy s = Strategy.parse(strategy != null ? strategy : settings.map(DeploySettings::replaceStrategy).orElse("surge"));
        Duration overall = timeout != null ? UpdateStackCommand.duration("--timeout", timeout) : settings.map(DeploySettings::replaceTimeout).orElse(null);
        Duration health = healthTimeout != null ? UpdateStackCommand.duration("--health-timeout", healthTimeout) : settings.map(DeploySettings::healthTimeout).orElse(null);
        Optional<PropertiesFile> tx = transactor();
        Optional<Integer> port = Optional.ofNullable(pingPort).or(() -> tx.flatMap(p -> p.get("ping-host").isPresent() ? p.get("ping-port") : Optional.empty())
                .map(Integer::valueOf));
        HealthEndpoint endpoint = port.map(p -> new HealthEndpoint(tx.flatMap(f -> f.get("ping-host")).orElse("0.0.0.0"), p)).orElse(null);
        HeartbeatMetric heartbeat = tx.flatMap(p -> p.get("aws-cloudwatch-region"))
                .map(r -> new HeartbeatMetric(r, tx.flatMap(p -> p.get("aws-cloudwatch-dimension-value")))).orElse(null);
        return new ReplacementRequest(groupName, s, all, Set.copyOf(instances), overall, health, Optional.ofNullable(endpoint),
                Optional.ofNullable(heartbeat), UpdateStackCommand.duration("--warmup", warmup), Optional.ofNullable(activeInstance));
    }

    private Optional<PropertiesFile> transactor() {
        Path file = transactorProperties != null ? transactorProperties : stackDir == null ? null : stackDir.resolve("transactor.properties");
        if (file == null || (transactorProperties == null && !Files.exists(file))) return Optional.empty();
        return Optional.of(PropertiesFile.read(file));
    }
}
