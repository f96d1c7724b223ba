package io.datomicgitops.aws;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The strategy each client retries with, asked as the SDK asks it (one token per call, refreshed per retry): it keeps
 * retrying however many retries a run has made, and once throttled it holds the client's calls to a lower rate.
 */
class AdaptiveRetriesTest {

    @Test
    void aStormOfRetriesNeverEmptiesAQuotaThatWouldStopRetrying() {
        try (RetryStrategy strategy = AdaptiveRetries.forOneClient(3)) {
            // 300 calls, each failing once with 503: the SDK's quota (500 tokens, 5 a retry) would refuse from the 101st
            for (int call = 0; call < 300; call++) {
                RetryToken token = strategy.acquireInitialToken(AcquireInitialTokenRequest.create("GLOBAL")).token();
                var retry = strategy.refreshRetryToken(RefreshRetryTokenRequest.builder().token(token)
                        .failure(error(503, "ServiceUnavailable")).build());
                assertThat(retry.token()).as("retry of call %d", call).isNotNull();
            }
        }
    }

    @Test
    void afterAThrottlingAnswerTheClientsCallsWaitForItsRate() {
        try (RetryStrategy strategy = AdaptiveRetries.forOneClient(3)) {
            long before = System.nanoTime();
            for (int call = 0; call < 20; call++) {
                RetryToken token = strategy.acquireInitialToken(AcquireInitialTokenRequest.create("GLOBAL")).token();
                strategy.recordSuccess(RecordSuccessRequest.create(token));
            }
            double unthrottled = (System.nanoTime() - before) / 1e9;
            RetryToken throttled = strategy.acquireInitialToken(AcquireInitialTokenRequest.create("GLOBAL")).token();
            strategy.refreshRetryToken(RefreshRetryTokenRequest.builder().token(throttled)
                    .failure(error(400, "Throttling")).build());

            long after = System.nanoTime();
            for (int call = 0; call < 4; call++) {
                RetryToken token = strategy.acquireInitialToken(AcquireInitialTokenRequest.create("GLOBAL")).token();
                strategy.recordSuccess(RecordSuccessRequest.create(token));
            }
            double limited = (System.nanoTime() - after) / 1e9;
            System.out.printf("adaptive retries: 20 calls took %.3f s, 4 calls after a throttle %.3f s%n", unthrottled, limited);
            assertThat(limited).as("4 calls after a throttle, seconds").isGreaterThan(0.5);
        }
    }

    private static AwsServiceException error(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("injected").build())
                .build();
    }
}
