package io.datomicgitops.wait;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** A point in time a wait must not pass, read from the injected clock. */
public record Deadline(Clock clock, Instant at) {
    public static Deadline after(Clock clock, Duration timeout) {
        return new Deadline(clock, clock.instant().plus(timeout));
    }

    public boolean passed() {
        return !clock.instant().isBefore(at);
    }

    public Duration remaining() {
        return Duration.between(clock.instant(), at);
    }
}
