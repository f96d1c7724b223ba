package io.datomicgitops.aws;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SendingRateTest {
    final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    final SendingRate rate = new SendingRate(now::get);

    @Test
    void noLimitUntilAwsThrottles() {
        for (int i = 0; i < 100; i++) assertThat(rate.reserve(Duration.ZERO)).isZero();
        assertThat(rate.perSecond()).isInfinite();
    }

    @Test
    void aThrottlingAnswerLimitsTheClientTo70PercentOfWhatItSentInTheLastSecondAndSpacesItsAttempts() {
        sendTenInASecond();
        rate.throttled();
        assertThat(rate.perSecond()).isCloseTo(7, within(0.01));
        Duration first = rate.reserve(Duration.ZERO);
        Duration second = rate.reserve(Duration.ZERO);
        Duration third = rate.reserve(Duration.ZERO);
        assertThat(first).isZero();
        assertThat(second.toMillis()).isBetween(142L, 143L);
        assertThat(third.toMillis()).isBetween(285L, 286L);
    }

    @Test
    void aBackoffIsWhereTheSlotIsReservedFrom() {
        sendTenInASecond();
        rate.throttled();
        assertThat(rate.reserve(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(rate.reserve(Duration.ZERO).toMillis()).isBetween(3142L, 3143L);
    }

    @Test
    void theAnswersToCallsSentTogetherCutOnce() {
        sendTenInASecond();
        for (int i = 0; i < 8; i++) rate.throttled();
        assertThat(rate.perSecond()).isCloseTo(7, within(0.01));
        advance(1_100);
        rate.throttled(); // a second later a throttling answer is news: cut from what the client sent, at most its rate
        assertThat(rate.perSecond()).isLessThan(7);
    }

    @Test
    void withoutThrottlingTheRateClimbsBackInTwoSecondsDoublesEveryTwoAfterAndTheLimitLifts() {
        sendTenInASecond();
        rate.throttled();
        advance(1_000);
        assertThat(rate.perSecond()).isCloseTo(8.5, within(0.01));
        advance(1_000);
        assertThat(rate.perSecond()).isCloseTo(10, within(0.01));
        advance(2_000);
        assertThat(rate.perSecond()).isCloseTo(20, within(0.01));
        advance(3_900);
        assertThat(rate.perSecond()).isLessThan(80);
        advance(100);
        assertThat(rate.perSecond()).isInfinite();
        assertThat(rate.reserve(Duration.ZERO)).isZero();
    }

    @Test
    void aClientThatBarelySentStillSendsACallASecond() {
        rate.reserve(Duration.ZERO);
        advance(2_000);
        rate.throttled();
        assertThat(rate.perSecond()).isEqualTo(SendingRate.MIN_PER_SECOND);
    }

    @Test
    void afterALongRunAThrottlingAnswerCutsFromTheLastSecondOnly() {
        for (int i = 0; i < 10_000; i++) {
            rate.reserve(Duration.ZERO);
            advance(10);
        }
        rate.throttled();
        assertThat(rate.perSecond()).as("70% of the 99 sent in the last second (a slot a second old is past)").isCloseTo(69.3, within(0.01));
    }

    private void sendTenInASecond() {
        for (int i = 0; i < 10; i++) {
            assertThat(rate.reserve(Duration.ZERO)).isZero();
            advance(95);
        }
    }

    private void advance(long millis) {
        now.addAndGet(millis * 1_000_000L);
    }
}
