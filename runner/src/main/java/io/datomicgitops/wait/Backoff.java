package io.datomicgitops.wait;

import java.time.Duration;

/**
 * Delays between polls: the first one short (a fast operation is seen finishing at once), then growing by a
 * factor up to a ceiling, so a long wait costs few API calls.
 */
public final class Backoff {
    private final Duration max;
    private final double factor;
    private Duration next;

    public Backoff(Duration first, double factor, Duration max) {
        this.next = first;
        this.factor = factor;
        this.max = max;
    }

    /**
     * For stack and change-set waits: 1 s, 1.5 s, 2.3 s, ... up to 5 s, so the end of a stack update is seen within
     * 5 s (the AWS CLI's waiter looks every 30 s: 15 s late on average), for 12 DescribeStacks a minute on the one
     * stack being applied.
     */
    public static Backoff forStacks() {
        return new Backoff(Duration.ofSeconds(1), 1.5, Duration.ofSeconds(5));
    }

    /** For instance waits: 2 s, 3 s, 4.5 s, ... up to 10 s (the downtime figure is as fine as this). */
    public static Backoff forInstances() {
        return new Backoff(Duration.ofSeconds(2), 1.5, Duration.ofSeconds(10));
    }

    /** The next delay, never beyond {@code remaining}. */
    public Duration next(Duration remaining) {
        Duration d = next;
        long grown = (long) (next.toMillis() * factor);
        next = Duration.ofMillis(Math.min(grown, max.toMillis()));
        if (remaining.isNegative()) return Duration.ZERO;
        return d.compareTo(remaining) > 0 ? remaining : d;
    }
}
