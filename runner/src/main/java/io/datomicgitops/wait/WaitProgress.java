package io.datomicgitops.wait;

import io.datomicgitops.report.Log;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What a wait says while it waits, so that its log never goes quiet: its state as soon as it changes, and else the same
 * state again before any sleep that would leave more than {@link #EVERY} since the last line, each line with the time
 * waited so far (and, for a wait with a deadline, the time left). Time is the injected clock's, so tests check the lines and their spacing without
 * waiting. A wait that ends at its first look says nothing.
 */
public final class WaitProgress {
    /** The longest a wait stays silent. */
    public static final Duration EVERY = Duration.ofSeconds(30);

    private final Log log;
    private final Clock clock;
    private final Deadline deadline;
    private final Instant start;
    private String lastState;
    private Instant lastSaid;

    /** A wait with no deadline of its own, starting now. */
    public WaitProgress(Log log, Clock clock) {
        this(log, clock, null);
    }

    /** A wait that gives up at the deadline, starting now: each line says how long is left. */
    public WaitProgress(Log log, Deadline deadline) {
        this(log, deadline.clock(), deadline);
    }

    private WaitProgress(Log log, Clock clock, Deadline deadline) {
        this.log = log;
        this.clock = clock;
        this.deadline = deadline;
        this.start = clock.instant();
    }

    /**
     * Called before each sleep of the wait: says {@code state} (a whole sentence, e.g. "stack X: UPDATE_IN_PROGRESS,
     * waiting") when it is not the state said last, or when the look after the sleep of {@code next} would come more
     * than {@link #EVERY} after the last line.
     */
    public void beforeSleep(String state, Duration next) {
        say(state, next, true);
    }

    /**
     * As {@link #beforeSleep}, for a wait whose caller says each change itself (and then calls {@link #said}): only
     * says {@code state} when the log would otherwise stay quiet for more than {@link #EVERY}.
     */
    public void beforeQuietSleep(String state, Duration next) {
        say(state, next, false);
    }

    /** The caller has just said the wait's state in a line of its own: the next reminder is due 30 s from now. */
    public void said() {
        lastSaid = clock.instant();
    }

    private void say(String state, Duration next, boolean onChange) {
        Instant now = clock.instant();
        boolean changed = onChange && !state.equals(lastState);
        boolean due = lastSaid == null || Duration.between(lastSaid, now.plus(next)).compareTo(EVERY) > 0;
        if (!changed && !due) return;
        log.progress(state + " (" + human(Duration.between(start, now)) + " so far"
                + (deadline == null ? "" : ", " + human(roundedUp(Duration.between(now, deadline.at()))) + " left") + ")");
        lastState = state;
        lastSaid = now;
    }

    /** How long the wait has lasted. */
    public Duration elapsed() {
        return Duration.between(start, clock.instant());
    }

    /** Time left shows whole seconds rounded up, so that "so far" and "left" add up to the timeout. */
    private static Duration roundedUp(Duration d) {
        Duration whole = Duration.ofSeconds(d.getSeconds());
        return whole.equals(d) ? d : whole.plusSeconds(1);
    }

    /** "0s", "45s", "1m30s", "2m", "1h5m": whole seconds, as an operator reads them. */
    public static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) return s + "s";
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        if (h > 0) return h + "h" + (m > 0 ? m + "m" : "") + (sec > 0 ? sec + "s" : "");
        return m + "m" + (sec > 0 ? sec + "s" : "");
    }
}
