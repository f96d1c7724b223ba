package io.datomicgitops.aws;

import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.Crc32MismatchException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RecordSuccessResponse;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;

import javax.xml.stream.XMLStreamException;

/**
 * The retry strategy of one client: the SDK's standard retries (exponential backoff with jitter, a longer base for
 * throttling answers) without their retry quota, and a {@link SendingRate} the client's attempts keep to once AWS
 * throttles it. {@link AwsClients} keeps one client per service and region, so the stacks a run plans or deploys
 * concurrently share that client's rate, as AWS throttles per account, service and region: throttling slows the run
 * down instead of burning attempts, and never fails it for want of quota.
 *
 * <p>Why not the SDK's own: its retry quota (the "circuit breaker": 500 tokens per client, 5 taken by each retry, not
 * all given back) stops retrying once a burst of about a hundred retries has emptied it, so every later call of a long
 * run would fail at its first throttling answer; standard mode can turn it off. The SDK's adaptive mode
 * ({@code RetryMode.ADAPTIVE_V2}) adds a client-side rate limiter but cannot turn the quota off through its public
 * builder, and its limiter, made for long-lived busy clients, sets the rate on the first throttling answer from a
 * measured rate that starts at zero: a fresh client falls to its floor of half a call a second and climbs back slowly.
 * A 10-stack plan throttled at 5 reads a second per service took 30 s with it against 5.5 s with backoff alone. This
 * limiter starts from what the client sent in the last second instead.
 */
final class RateLimitedRetries implements RetryStrategy {
    private final RetryStrategy retries;
    private final SendingRate rate;

    private RateLimitedRetries(RetryStrategy retries, SendingRate rate) {
        this.retries = retries;
        this.rate = rate;
    }

    /** A new strategy, with its own rate, for one client: up to {@code maxAttempts} attempts per call. */
    static RateLimitedRetries forOneClient(int maxAttempts) {
        return new RateLimitedRetries(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(maxAttempts)
                .circuitBreakerEnabled(false)
                .retryOnException(RateLimitedRetries::answerCutShort)
                .build(), new SendingRate());
    }

    /**
     * An answer whose body broke off: the SDK retries a dropped connection but not this, though it is the same loss
     * (the call may have acted; its answer did not arrive whole). DynamoDB's and Auto Scaling's answers fail their
     * CRC32 check, the XML services' fail to parse. Retried, the call meets its own work where it had acted, as after a
     * dropped connection (EntityAlreadyExists, the change set answered from its token, ...), instead of stopping the
     * run. An answer that is malformed each time fails as before once the attempts are spent.
     */
    static boolean answerCutShort(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Crc32MismatchException || t instanceof XMLStreamException) return true;
        }
        return false;
    }

    /** The rate this client keeps to, calls a second (infinite until AWS throttles it). */
    double perSecond() {
        return rate.perSecond();
    }

    @Override
    public AcquireInitialTokenResponse acquireInitialToken(AcquireInitialTokenRequest request) {
        AcquireInitialTokenResponse first = retries.acquireInitialToken(request);
        return AcquireInitialTokenResponse.create(first.token(), rate.reserve(first.delay()));
    }

    @Override
    public RefreshRetryTokenResponse refreshRetryToken(RefreshRetryTokenRequest request) {
        if (request.failure() instanceof SdkServiceException e && e.isThrottlingException()) rate.throttled();
        RefreshRetryTokenResponse retry = retries.refreshRetryToken(request); // throws when the call may not be retried
        return RefreshRetryTokenResponse.create(retry.token(), rate.reserve(retry.delay()));
    }

    @Override
    public RecordSuccessResponse recordSuccess(RecordSuccessRequest request) {
        return retries.recordSuccess(request);
    }

    @Override
    public int maxAttempts() {
        return retries.maxAttempts();
    }

    /** As built: the SDK adds its defaults only to its own strategies, and this one has them already. */
    @Override
    public boolean useClientDefaults() {
        return false;
    }

    /** The retries without the rate (the SDK rebuilds only its own strategies, so it never asks). */
    @Override
    public Builder<?, ?> toBuilder() {
        return retries.toBuilder();
    }
}
