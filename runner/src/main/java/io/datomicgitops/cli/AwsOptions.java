package io.datomicgitops.cli;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.aws.AwsSettings;
import io.datomicgitops.config.ValueType;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Map;

/** AWS options shared by every command; the standard AWS_* variables are the defaults. */
public final class AwsOptions {
    @Option(names = "--region", paramLabel = "REGION",
            description = "AWS region where a stack's files name none (a stack deploys to the aws-region of its deploy.properties, "
                    + "else of its cf.properties; a --region that contradicts them is refused); default: AWS_REGION, the profile")
    String region;

    @Option(names = "--override-region", description = "let --region win over the region a stack's files name (moves the stack: "
            + "it is a new stack in that region)")
    boolean overrideRegion;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "AWS endpoint override for every service (default: AWS_ENDPOINT_URL)")
    String endpointUrl;

    @Option(names = "--profile", paramLabel = "NAME", description = "AWS credentials profile (default: AWS_PROFILE, else the default chain)")
    String profile;

    @Option(names = "--role-arn", paramLabel = "ARN", description = "IAM role to assume for every AWS call")
    String roleArn;

    @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "10",
            description = "attempts per AWS call, with exponential backoff on throttling and transient errors (default: ${DEFAULT-VALUE})")
    int maxAttempts;

    @Option(names = "--attempt-timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "how long one attempt of an AWS call may wait for its answer before it is given up and retried "
                    + "(default: ${DEFAULT-VALUE})")
    Duration attemptTimeout;

    public AwsSettings settings(Map<String, String> env) {
        explicitRegion();
        for (String variable : new String[]{"AWS_REGION", "AWS_DEFAULT_REGION"}) {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) requireKnown(value.trim(), ExitCode.INVALID_CONFIG, variable);
        }
        return AwsSettings.fromEnvironment(env)
                .with(region, endpointUrl, profile, roleArn)
                .withRetries(Math.max(1, maxAttempts), attemptTimeout());
    }

    /** At least a second: a shorter attempt would give up on answers AWS is still sending. */
    private Duration attemptTimeout() {
        if (attemptTimeout == null) return AwsSettings.DEFAULT_ATTEMPT_TIMEOUT;
        if (attemptTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ToolException(ExitCode.USAGE, "'" + attemptTimeout.toMillis() + " ms' is below one second", "--attempt-timeout",
                    "give an attempt at least 1s (the default is 30s)");
        }
        return attemptTimeout;
    }

    /** Used by services that pin a region from the config (cf.properties, deploy.properties) unless --region is given. */
    public String explicitRegion() {
        if (region != null) requireKnown(region, ExitCode.USAGE, "--region");
        return region;
    }

    /** A misspelt region fails here at once, not after a retried call to an endpoint that does not exist. */
    static void requireKnown(String value, ExitCode code, String where) {
        ValueType.REGION_NAME.check(value).ifPresent(expected ->
                { throw new ToolException(code, "'" + value + "' is not an AWS region", where, "use " + expected); });
    }

    static Duration parse(String s) {
        return io.datomicgitops.config.ValueType.parseDuration(s);
    }
}
