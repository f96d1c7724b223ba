package io.datomicgitops.wait;

import java.time.Duration;

/** Waits between polls. Injected so tests advance a clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    Sleeper REAL = d -> {
        if (!d.isNegative() && !d.isZero()) Thread.sleep(d.toMillis());
    };
}
