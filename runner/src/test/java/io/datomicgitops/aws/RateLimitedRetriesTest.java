package io.datomicgitops.aws;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The strategy each client retries with, asked as the SDK asks it (a token per call, refreshed per retry; the SDK
 * waits the delay it is given before each attempt): it keeps retrying however many retries a run has made, and once
 * throttled it spaces the client's attempts.
 */
class RateLimitedRetriesTest {

    @Test
    void aThrottlingStormNeverEmptiesAQuotaThatWouldStopRetrying() {
        RetryStrategy strategy = RateLimitedRetries.forOneClient(3);
        // 300 calls, each throttled once: the SDK's quota (500 tokens, 5 a retry) would refuse from the 101st on
        for (int call = 0; call < 300; call++) {
            RetryToken token = strategy.acquireInitialToken(AcquireInitialTokenRequest.create("GLOBAL")).token();
            var retry = strategy.refreshRetryToken(RefreshRetryTokenRequest.builder().token(token)
                    .failure(error(400, "Throttling")).build());
            assertThat(retry.token()).as("retry of call %d", call).isNotNull();
        }
    }

    @Test
    void afterAThrottlingAnswerTheClientsNextAttemptsWaitForTheirSlots() {
        RetryStrategy strategy = RateLimitedRetries.forOneClient(3);
        for (int call = 0; call < 20; call++) {
            var first = strategy.acquireInitialToken(AcquireInitialTokenRequest.create("GLOBAL"));
            assertThat(first.delay()).as("before any throttling").isZero();
            strategy.recordSuccess(RecordSuccessRequest.create(first.token()));
        }
        RetryToken throttled = strategy.acquireInitialToken(AcquireInitialTokenRequest.create("GLOBAL")).token();
        var retry = strategy.refreshRetryToken(RefreshRetryTokenRequest.builder().token(throttled)
                .failure(error(400, "Throttling")).build());
        assertThat(retry.delay()).as("the retry waits for its backoff").isPositive();

        Duration last = Duration.ZERO;
        for (int call = 0; call < 4; call++) {
            Duration wait = strategy.acquireInitialToken(AcquireInitialTokenRequest.create("GLOBAL")).delay();
            assertThat(wait).as("call %d after the throttling answer", call).isGreaterThan(last);
            last = wait;
        }
    }

    private static AwsServiceException error(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("injected").build())
                .build();
    }
}
