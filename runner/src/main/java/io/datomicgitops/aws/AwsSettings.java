package io.datomicgitops.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where and as whom the runner talks to AWS. Built from the standard variables ({@code AWS_ENDPOINT_URL},
 * {@code AWS_REGION}, {@code AWS_PROFILE}) and the CLI's options; the credentials come from the SDK's default
 * chain (or a named profile, or an assumed role). Nothing here knows about any sandbox.
 */
public record AwsSettings(
        Optional<String> region,
        Optional<URI> endpoint,
        Optional<String> profile,
        Optional<String> roleArn,
        Optional<AwsCredentials> keys,
        int maxAttempts,
        Duration attemptTimeout) {

    /** Keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN) of the given environment. */
    public record AwsCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {
        @Override
        public String toString() {
            return "AwsCredentials[" + accessKeyId + ", ********]";
        }
    }

    public static final int DEFAULT_MAX_ATTEMPTS = 10;
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(30);

    public static AwsSettings fromEnvironment(Map<String, String> env) {
        return new AwsSettings(
                nonBlank(env.get("AWS_REGION")).or(() -> nonBlank(env.get("AWS_DEFAULT_REGION"))),
                nonBlank(env.get("AWS_ENDPOINT_URL")).map(URI::create),
                nonBlank(env.get("AWS_PROFILE")),
                Optional.empty(),
                keys(env),
                DEFAULT_MAX_ATTEMPTS,
                DEFAULT_ATTEMPT_TIMEOUT);
    }

    /** Command-line values win over the environment. */
    public AwsSettings with(String region, String endpointUrl, String profile, String roleArn) {
        return new AwsSettings(
                nonBlank(region).or(this::region),
                nonBlank(endpointUrl).map(URI::create).or(this::endpoint),
                nonBlank(profile).or(this::profile),
                nonBlank(roleArn).or(this::roleArn),
                keys, maxAttempts, attemptTimeout);
    }

    public AwsSettings withRegion(String r) {
        return new AwsSettings(nonBlank(r).or(this::region), endpoint, profile, roleArn, keys, maxAttempts, attemptTimeout);
    }

    public AwsSettings withRetries(int attempts, Duration timeout) {
        return new AwsSettings(region, endpoint, profile, roleArn, keys, attempts, timeout);
    }

    private static Optional<AwsCredentials> keys(Map<String, String> env) {
        Optional<String> id = nonBlank(env.get("AWS_ACCESS_KEY_ID"));
        Optional<String> secret = nonBlank(env.get("AWS_SECRET_ACCESS_KEY"));
        if (id.isEmpty() || secret.isEmpty()) return Optional.empty();
        io.datomicgitops.config.Redactor.global().register(secret.get());
        nonBlank(env.get("AWS_SESSION_TOKEN")).ifPresent(io.datomicgitops.config.Redactor.global()::register);
        return Optional.of(new AwsCredentials(id.get(), secret.get(), env.get("AWS_SESSION_TOKEN")));
    }

    private static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    }
}
