package io.datomicgitops.aws;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.Crc32MismatchException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

import javax.xml.stream.XMLStreamException;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The strategy each client retries with, asked as the SDK asks it (a token per call, refreshed per retry; the SDK
 * waits the delay it is given before each attempt): it keeps retrying however many retries a run has made, and once
 * throttled it spaces the client's attempts; an answer cut short is retried as a dropped connection is.
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

    @Test
    void anAnswerCutShortIsRetriedAsADroppedConnectionIs() {
        RetryStrategy strategy = RateLimitedRetries.forOneClient(3);
        // as the SDK reports a body that broke off: DynamoDB's checksum, an XML service's parser
        List<Throwable> cut = List.of(
                Crc32MismatchException.create("Expected 3702630883 as the Crc32 checksum but the actual calculated checksum was 1650774474", null),
                SdkClientException.create("Unable to unmarshall response (Could not parse XML response.). Response Code: 200",
                        SdkClientException.create("Could not parse XML response.", new XMLStreamException("ParseError at [row,col]:[1,97]"))));
        for (Throwable failure : cut) {
            RetryToken token = strategy.acquireInitialToken(AcquireInitialTokenRequest.create("GLOBAL")).token();
            assertThat(strategy.refreshRetryToken(RefreshRetryTokenRequest.builder().token(token).failure(failure).build()).token())
                    .as(failure.getMessage()).isNotNull();
        }
        // a client-side failure that is no lost answer still stops at once
        RetryToken token = strategy.acquireInitialToken(AcquireInitialTokenRequest.create("GLOBAL")).token();
        assertThatThrownBy(() -> strategy.refreshRetryToken(RefreshRetryTokenRequest.builder().token(token)
                .failure(SdkClientException.create("Unable to load credentials from any of the providers in the chain")).build()))
                .isInstanceOf(TokenAcquisitionFailedException.class);
    }

    private static AwsServiceException error(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("injected").build())
                .build();
    }
}
