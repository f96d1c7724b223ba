package io.datomicgitops.lock;

import java.time.Duration;

/**
 * How a run waits for a stack's lock held by another: for how long (zero: not at all, fail naming the holder), in
 * line behind the runs that came first; with {@code supersede}, taking the place of a waiting run of the same job
 * (the same build URL but for its build number), which then stops without deploying.
 */
public record LockWait(Duration upTo, boolean supersede) {
    public static final LockWait NONE = new LockWait(Duration.ZERO, false);

    public static LockWait of(Duration wait) {
        return new LockWait(wait, false);
    }
}
