package io.datomicgitops.aws;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Builds the SDK clients the runner uses, one per service and region, all sharing one lightweight HTTP client,
 * the same credentials, timeouts, and the {@link ApiCallCounter}; each client retries with backoff and slows down
 * when AWS throttles it ({@link RateLimitedRetries}; each retry said as it happens: {@link RetryLog}). An endpoint
 * override (the standard {@code AWS_ENDPOINT_URL} or {@code --endpoint-url}) applies to every client, with path-style S3.
 */
public final class AwsClients implements AutoCloseable {
    private final AwsSettings settings;
    private final ApiCallCounter counter;
    private final MutationGate gate = new MutationGate();
    private final Consumer<String> log;
    private final SdkHttpClient http;
    private final Map<String, SdkAutoCloseable> clients = new ConcurrentHashMap<>();
    private final Map<Region, String> accounts = new ConcurrentHashMap<>();
    private final Map<String, Object> facts = new ConcurrentHashMap<>();
    private final Map<String, Object> untilChange = new ConcurrentHashMap<>();
    private volatile AwsCredentialsProvider credentials;
    private volatile Region defaultRegion;

    public AwsClients(AwsSettings settings, ApiCallCounter counter) {
        this(settings, counter, line -> { });
    }

    /** With where each retried call is said, a progress line ({@link RetryLog}). */
    public AwsClients(AwsSettings settings, ApiCallCounter counter, Consumer<String> log) {
        this.settings = settings;
        this.counter = counter;
        this.log = log;
        gate.add((call, request) -> untilChange.clear());
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(settings.attemptTimeout())
                .build();
    }

    public AwsSettings settings() { return settings; }

    public ApiCallCounter counter() { return counter; }

    /** What every mutating call of these clients passes first (a lost stack lock stops it). */
    public MutationGate mutationGate() { return gate; }

    /** The region from --region, AWS_REGION, the profile or instance metadata. */
    public Region defaultRegion() {
        if (defaultRegion == null) {
            defaultRegion = settings.region().map(Region::of).orElseGet(() -> {
                try {
                    return DefaultAwsRegionProviderChain.builder().build().getRegion();
                } catch (RuntimeException e) {
                    throw new ToolException(ExitCode.AWS_ACCESS, "no AWS region is configured", "AWS settings",
                            "set aws-region in deploy.properties, pass --region, or export AWS_REGION");
                }
            });
        }
        return defaultRegion;
    }

    private Region regionOr(String region) {
        return region == null || region.isBlank() ? defaultRegion() : Region.of(region);
    }

    public DynamoDbClient dynamoDb(String region) {
        Region r = regionOr(region);
        return get("dynamodb/" + r, () -> configure(DynamoDbClient.builder(), r).build());
    }

    /** IAM is global; its signing region is aws-global. */
    public IamClient iam() {
        return get("iam", () -> configure(IamClient.builder(), Region.AWS_GLOBAL).build());
    }

    public S3Client s3(String region) {
        Region r = regionOr(region);
        return get("s3/" + r, () -> configure(S3Client.builder(), r)
                .forcePathStyle(settings.endpoint().isPresent())
                .build());
    }

    public Ec2Client ec2(String region) {
        Region r = regionOr(region);
        return get("ec2/" + r, () -> configure(Ec2Client.builder(), r).build());
    }

    public StsClient sts(String region) {
        Region r = regionOr(region);
        return get("sts/" + r, () -> configure(StsClient.builder(), r).build());
    }

    /**
     * The account the credentials belong to (STS GetCallerIdentity: IAM GetUser fails under roles, SSO and instance
     * profiles), asked once per run and region: every stack and phase of a run shares the answer.
     */
    public String accountId(String region) {
        Region r = regionOr(region);
        return accounts.computeIfAbsent(r, k -> sts(k.id()).getCallerIdentity().account());
    }

    /**
     * A read whose answer cannot change during the run (a region's default VPC, a bucket's region; or anything while
     * only planning), made once however many stacks and phases ask: concurrent askers wait for the first one's answer.
     * A failed read is not remembered.
     */
    @SuppressWarnings("unchecked")
    public <T> T once(String key, Supplier<T> read) {
        return (T) facts.computeIfAbsent(key, k -> read.get());
    }

    /**
     * A read shared by every stack a plan reads (the account's roles, its buckets), made once and kept until this run
     * changes something in AWS: the next mutating call forgets it, so a stack planned again after another stack was
     * deployed (a catch-up under its lock) reads afresh. A failed read is not remembered.
     */
    @SuppressWarnings("unchecked")
    public <T> T untilChange(String key, Supplier<T> read) {
        return (T) untilChange.computeIfAbsent(key, k -> read.get());
    }

    public CloudFormationClient cloudFormation(String region) {
        Region r = regionOr(region);
        return get("cloudformation/" + r, () -> configure(CloudFormationClient.builder(), r).build());
    }

    /**
     * CloudFormation with two attempts, for a call whose failure only warns (e.g. turning termination protection on):
     * an endpoint that does not implement it must not hold the deployment through a full retry schedule.
     */
    public CloudFormationClient cloudFormationBestEffort(String region) {
        Region r = regionOr(region);
        return get("cloudformation-best-effort/" + r, () -> configure(CloudFormationClient.builder(), r, 2).build());
    }

    public AutoScalingClient autoScaling(String region) {
        Region r = regionOr(region);
        return get("autoscaling/" + r, () -> configure(AutoScalingClient.builder(), r).build());
    }

    public CloudWatchClient cloudWatch(String region) {
        Region r = regionOr(region);
        return get("cloudwatch/" + r, () -> configure(CloudWatchClient.builder(), r).build());
    }

    @SuppressWarnings("unchecked")
    private <T extends SdkAutoCloseable> T get(String key, Supplier<T> create) {
        return (T) clients.computeIfAbsent(key, k -> create.get());
    }

    private <B extends AwsClientBuilder<B, ?> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, ?>>
    B configure(B builder, Region region) {
        return configure(builder, region, settings.maxAttempts());
    }

    private <B extends AwsClientBuilder<B, ?> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, ?>>
    B configure(B builder, Region region, int maxAttempts) {
        builder.region(region)
                .credentialsProvider(credentials())
                .httpClient(http)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .addExecutionInterceptor(gate) // first: a call it stops is neither counted nor sent
                        .addExecutionInterceptor(counter)
                        .addExecutionInterceptor(new RetryLog(log, maxAttempts))
                        .retryStrategy(RateLimitedRetries.forOneClient(maxAttempts)) // each client its own rate
                        .apiCallAttemptTimeout(settings.attemptTimeout())
                        .build());
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder;
    }

    private AwsCredentialsProvider credentials() {
        if (credentials == null) {
            synchronized (this) {
                if (credentials == null) credentials = buildCredentials();
            }
        }
        return credentials;
    }

    private AwsCredentialsProvider buildCredentials() {
        AwsCredentialsProvider base;
        if (settings.profile().isPresent()) {
            base = ProfileCredentialsProvider.builder().profileName(settings.profile().get()).build();
        } else if (settings.keys().isPresent()) {
            var k = settings.keys().get();
            base = StaticCredentialsProvider.create(k.sessionToken() == null || k.sessionToken().isBlank()
                    ? AwsBasicCredentials.create(k.accessKeyId(), k.secretAccessKey())
                    : AwsSessionCredentials.create(k.accessKeyId(), k.secretAccessKey(), k.sessionToken()));
        } else {
            base = DefaultCredentialsProvider.builder().build();
        }
        if (settings.roleArn().isEmpty()) return base;
        StsClient sts = configure(StsClient.builder(), defaultRegion()).credentialsProvider(base).build();
        clients.put("sts-assume-role", sts);
        return StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts)
                .refreshRequest(r -> r.roleArn(settings.roleArn().get()).roleSessionName("datomic-gitops"))
                .build();
    }

    @Override
    public void close() {
        clients.values().forEach(SdkAutoCloseable::close);
        clients.clear();
        if (credentials instanceof SdkAutoCloseable c) c.close();
        http.close();
    }
}
