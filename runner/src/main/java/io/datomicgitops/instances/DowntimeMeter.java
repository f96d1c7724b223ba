package io.datomicgitops.instances;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Measures how long the group had no InService instance, from the observations made while polling: a span between two
 * observations counts when the first of them saw none. As precise as the polling interval.
 */
final class DowntimeMeter {
    private final Clock clock;
    private Instant lastAt;
    private int lastInService = -1;
    private Duration zero = Duration.ZERO;

    DowntimeMeter(Clock clock) {
        this.clock = clock;
    }

    void observe(int inService) {
        Instant now = clock.instant();
        if (lastAt != null && lastInService == 0) zero = zero.plus(Duration.between(lastAt, now));
        lastAt = now;
        lastInService = inService;
    }

    double zeroInServiceSeconds() {
        return zero.toMillis() / 1000.0;
    }
}
