package io.datomicgitops.aws;

import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.AdaptiveRetryStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.internal.DefaultAdaptiveRetryStrategy;

/**
 * The retry strategy of one of the runner's clients: the SDK's adaptive mode ({@code RetryMode.ADAPTIVE_V2},
 * {@link AwsRetryStrategy#adaptiveRetryStrategy()}) with its retry quota off.
 *
 * <p>Adaptive mode retries with exponential backoff and jitter like standard mode and, once AWS throttles, rate-limits
 * the client: every attempt, first ones included, waits for a token of a bucket whose rate drops on each throttling
 * answer and climbs back (CUBIC) as calls succeed. The bucket is one per strategy (the SDK asks it for the scope
 * "GLOBAL" only), so each client gets its own strategy: {@link AwsClients} keeps one client per service and region,
 * and the stacks a run plans or deploys concurrently share that client's rate, as AWS throttles per account, service
 * and region. Throttling then slows the run down instead of burning attempts.
 *
 * <p>The retry quota (the SDK's "circuit breaker": 500 tokens per client, 5 taken by each retry, only part given back
 * on success) stops retrying altogether once a burst of about a hundred retries has emptied it: every later call of the
 * run would fail at its first throttling answer, and a fleet plan would fail where it only had to slow down. Standard
 * mode's public builder can turn it off; the public {@link AdaptiveRetryStrategy.Builder} cannot, the SDK's own builder
 * behind it can. We use that one rather than write a rate limiter of our own; {@code AdaptiveRetriesTest} fails if an
 * SDK upgrade takes it away, and so does the first client built.
 */
final class AdaptiveRetries {
    private AdaptiveRetries() {}

    /** A new strategy (with its own rate limiter) for one client, up to {@code maxAttempts} attempts per call. */
    static RetryStrategy forOneClient(int maxAttempts) {
        AdaptiveRetryStrategy.Builder builder = AwsRetryStrategy.adaptiveRetryStrategy().toBuilder().maxAttempts(maxAttempts);
        if (!(builder instanceof DefaultAdaptiveRetryStrategy.Builder sdkBuilder)) {
            throw new IllegalStateException("this AWS SDK's adaptive retry strategy cannot turn its retry quota off ("
                    + builder.getClass().getName() + "); AdaptiveRetries must be updated with the SDK");
        }
        return sdkBuilder.circuitBreakerEnabled(false).build();
    }
}
