package io.datomicgitops.testing.replay;

import io.datomicgitops.report.Log;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A {@link Log} that keeps every line with the time of its clock, so tests can check when a wait spoke. */
public final class TimedLog implements Log {
    /** A line and when it was said. */
    public record Line(Instant at, String text) {}

    private final Clock clock;
    private final List<Line> lines = new ArrayList<>();

    public TimedLog(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void progress(String line) {
        lines.add(new Line(clock.instant(), line));
    }

    @Override
    public synchronized void warn(String line) {
        lines.add(new Line(clock.instant(), "warning: " + line));
    }

    public synchronized List<Line> lines() {
        return List.copyOf(lines);
    }

    public synchronized List<Line> matching(Predicate<String> which) {
        return lines.stream().filter(l -> which.test(l.text())).toList();
    }

    /** The longest time between two lines, or between {@code from} and the first one, or the last one and {@code to}. */
    public synchronized Duration longestSilence(Instant from, Instant to) {
        Duration longest = Duration.ZERO;
        Instant previous = from;
        for (Line l : lines) {
            if (l.at().isBefore(from) || l.at().isAfter(to)) continue;
            Duration gap = Duration.between(previous, l.at());
            if (gap.compareTo(longest) > 0) longest = gap;
            previous = l.at();
        }
        Duration tail = Duration.between(previous, to);
        return tail.compareTo(longest) > 0 ? tail : longest;
    }
}
