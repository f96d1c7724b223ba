package io.datomicgitops.aws;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * How fast one client may send, learnt from AWS's throttling answers. No limit until AWS throttles; then 70% of what
 * the client sent in the last second (what AWS refused), climbing back to that in two seconds without another
 * throttling answer and doubling every two seconds after, until the limit lifts (eight times the refused rate). A
 * throttling answer cuts again, at most once a second: the answers to calls sent together are one signal, not many.
 * Every attempt reserves the next slot at the rate and waits for it.
 */
final class SendingRate {
    /** The rate after a throttling answer, as a share of the rate AWS refused. */
    static final double CUT = 0.7;
    /** However often AWS throttles, a call a second still goes out. */
    static final double MIN_PER_SECOND = 1;
    /** Back to the refused rate in this long; doubling every this long after. */
    static final double RECOVERY_SECONDS = 2;
    /** The limit lifts at this multiple of the refused rate. */
    static final double LIFT = 8;
    private static final long SECOND = 1_000_000_000L;

    private final LongSupplier nanoClock;
    private final Deque<Long> sent = new ArrayDeque<>();
    private double refused = Double.POSITIVE_INFINITY;
    private long lastCut;
    private long nextSlot;

    SendingRate() {
        this(System::nanoTime);
    }

    SendingRate(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Reserves a slot for an attempt that may go at the earliest after {@code backoff}; how long it waits in all. */
    synchronized Duration reserve(Duration backoff) {
        long now = nanoClock.getAsLong();
        long slot = now + backoff.toNanos();
        double perSecond = perSecond(now);
        if (perSecond != Double.POSITIVE_INFINITY) {
            slot = Math.max(slot, nextSlot);
            nextSlot = slot + (long) (SECOND / perSecond);
        }
        forgetBefore(now - SECOND);
        sent.addLast(slot);
        return Duration.ofNanos(slot - now);
    }

    /** AWS throttled an attempt: send slower than the client just did. */
    synchronized void throttled() {
        long now = nanoClock.getAsLong();
        double perSecond = perSecond(now);
        if (perSecond != Double.POSITIVE_INFINITY && now - lastCut < SECOND) return;
        refused = Math.max(MIN_PER_SECOND, Math.min(perSecond, sentInTheLastSecond(now)));
        lastCut = now;
    }

    /** Calls a second the client may send now (infinite: no limit). */
    synchronized double perSecond() {
        return perSecond(nanoClock.getAsLong());
    }

    private double perSecond(long now) {
        if (refused == Double.POSITIVE_INFINITY) return refused;
        double t = (now - lastCut) / (double) SECOND / RECOVERY_SECONDS;
        double rate = t < 1 ? refused * (CUT + (1 - CUT) * t) : refused * Math.pow(2, t - 1);
        if (rate >= LIFT * refused) {
            refused = Double.POSITIVE_INFINITY;
            return refused;
        }
        return Math.max(MIN_PER_SECOND, rate);
    }

    private double sentInTheLastSecond(long now) {
        forgetBefore(now - SECOND);
        return sent.stream().filter(slot -> slot <= now).count();
    }

    /** Slots are kept a second, for the rate a throttling answer cuts from: a long run keeps no more. */
    private void forgetBefore(long time) {
        while (!sent.isEmpty() && sent.peekFirst() <= time) sent.removeFirst();
    }
}
