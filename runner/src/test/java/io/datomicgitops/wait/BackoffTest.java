package io.datomicgitops.wait;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {
    @Test
    void startsFastGrowsAndStopsAtItsCeilingAndAtTheDeadline() {
        Backoff b = Backoff.forStacks();
        Duration plenty = Duration.ofHours(1);
        assertThat(b.next(plenty)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.next(plenty)).isEqualTo(Duration.ofMillis(1500));
        assertThat(b.next(plenty)).isEqualTo(Duration.ofMillis(2250));
        for (int i = 0; i < 10; i++) b.next(plenty);
        assertThat(b.next(plenty)).isEqualTo(Duration.ofSeconds(5));
        assertThat(b.next(Duration.ofMillis(700))).isEqualTo(Duration.ofMillis(700));
        assertThat(b.next(Duration.ofSeconds(-1))).isEqualTo(Duration.ZERO);
    }
}
