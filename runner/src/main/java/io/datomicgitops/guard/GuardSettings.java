package io.datomicgitops.guard;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.config.ValueType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The alarms that guard a stack's deployment, from its deploy.properties: the alarms named ({@code guard-alarms},
 * names or ARNs), the standard ones the tool creates ({@code guard-standard-alarms}), how long apply watches them after
 * the last new transactor is active ({@code guard-bake}), and CloudFormation's monitoring time after the stack update
 * ({@code guard-monitoring}).
 *
 * @param dimension the transactor's aws-cloudwatch-dimension-value, which the standard alarms watch (empty without them)
 */
public record GuardSettings(List<String> alarms, boolean standardAlarms, Duration bake, Duration monitoring, Optional<String> dimension) {
    /** CloudFormation takes at most five rollback triggers per stack. */
    public static final int MAX_ALARMS = 5;
    public static final Duration DEFAULT_BAKE = Duration.ofMinutes(5);
    public static final GuardSettings NONE = new GuardSettings(List.of(), false, DEFAULT_BAKE, Duration.ZERO, Optional.empty());

    public GuardSettings {
        alarms = List.copyOf(alarms);
    }

    /**
     * Reads and checks the guard keys of a deploy.properties (already validated against its schema) against the
     * transactor's properties, in the stack's region.
     */
    public static GuardSettings from(PropertiesFile deploy, PropertiesFile tx, String region) {
        List<String> alarms = deploy.get("guard-alarms").map(ValueType::splitList).orElse(List.of());
        boolean standard = Boolean.parseBoolean(deploy.get("guard-standard-alarms", "false"));
        Duration bake = ValueType.parseDuration(deploy.get("guard-bake", "5m"));
        Duration monitoring = ValueType.parseDuration(deploy.get("guard-monitoring", "0m"));
        Optional<String> dimension = Optional.empty();
        if (standard) {
            // Datomic publishes its metrics only when both keys are set, in aws-cloudwatch-region
            Optional<String> metricsRegion = tx.get("aws-cloudwatch-region");
            dimension = tx.get("aws-cloudwatch-dimension-value");
            if (metricsRegion.isEmpty() || dimension.isEmpty()) {
                throw new ToolException(ExitCode.INVALID_CONFIG, "guard-standard-alarms=true watches the transactor's CloudWatch metrics, "
                        + "which it publishes only with aws-cloudwatch-region and aws-cloudwatch-dimension-value set",
                        deploy.where("guard-standard-alarms"), "set both in " + tx.name() + ", or name your own alarms in guard-alarms");
            }
            if (!metricsRegion.get().equals(region)) {
                throw new ToolException(ExitCode.INVALID_CONFIG, "the transactor publishes its metrics in " + metricsRegion.get()
                        + " but the stack runs in " + region + ": CloudFormation's rollback triggers must be alarms of the stack's region",
                        tx.where("aws-cloudwatch-region"), "set aws-cloudwatch-region=" + region + ", or turn guard-standard-alarms off");
            }
        }
        int count = alarms.size() + (standard ? StandardAlarms.COUNT : 0);
        if (count > MAX_ALARMS) {
            throw new ToolException(ExitCode.INVALID_CONFIG, count + " alarms guard the deployment"
                    + (standard ? " (" + StandardAlarms.COUNT + " of them standard)" : "") + ", but CloudFormation takes at most "
                    + MAX_ALARMS + " rollback triggers", deploy.where(deploy.get("guard-alarms").isPresent() ? "guard-alarms" : "guard-standard-alarms"),
                    "name at most " + (MAX_ALARMS - (standard ? StandardAlarms.COUNT : 0)) + " alarms in guard-alarms");
        }
        return new GuardSettings(alarms, standard, bake, monitoring, dimension);
    }

    /** True when at least one alarm guards the deployment. */
    public boolean enabled() {
        return !alarms.isEmpty() || standardAlarms;
    }

    /** Every alarm's name, the standard ones (for this stack) after those named; an ARN is named by its last part. */
    public List<String> alarmNames(String stackName) {
        List<String> names = new ArrayList<>();
        alarms.forEach(a -> names.add(nameOf(a)));
        if (standardAlarms) names.addAll(StandardAlarms.names(stackName));
        return names;
    }

    /** An alarm's name from its name or its ARN (arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME). */
    static String nameOf(String nameOrArn) {
        int at = nameOrArn.startsWith("arn:") ? nameOrArn.indexOf(":alarm:") : -1;
        return at < 0 ? nameOrArn : nameOrArn.substring(at + ":alarm:".length());
    }
}
