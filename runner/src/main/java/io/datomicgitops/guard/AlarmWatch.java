package io.datomicgitops.guard;

import io.datomicgitops.report.Log;
import io.datomicgitops.wait.Deadline;
import io.datomicgitops.wait.Sleeper;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Watches alarms through a bake time: DescribeAlarms every {@link #interval}; an alarm that goes to ALARM during the
 * bake ends the watch at once. One already in ALARM when the bake starts is given the bake to recover, and counts when
 * it is still in ALARM at its end: the replacement itself may have set it off (the heartbeat alarm, while the
 * terminate strategy has no transactor running), and a deployment that works brings it back to OK.
 */
final class AlarmWatch {
    private static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    private static final Duration MAX_INTERVAL = Duration.ofSeconds(15);

    private final CloudWatchClient cw;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Log log;

    AlarmWatch(CloudWatchClient cw, Clock clock, Sleeper sleeper, Log log) {
        this.cw = cw;
        this.clock = clock;
        this.sleeper = sleeper;
        this.log = log;
    }

    /** The first alarm in ALARM within the bake; empty when every alarm stayed out of it to the end. */
    Optional<AlarmStates.State> watch(List<String> names, Duration bake) {
        Instant start = clock.instant();
        Deadline deadline = Deadline.after(clock, bake);
        Duration interval = interval(bake);
        log.progress("guard: watching " + String.join(", ", names) + " for " + GuardMarkdown.human(bake));
        while (true) {
            boolean last = deadline.passed();
            Optional<AlarmStates.State> alarmed = AlarmStates.read(cw, names).values().stream().filter(AlarmStates.State::alarm)
                    .filter(a -> last || a.since() == null || !a.since().isBefore(start)).findFirst();
            if (alarmed.isPresent()) return alarmed;
            if (last) return Optional.empty();
            Duration remaining = deadline.remaining();
            sleep(remaining.compareTo(interval) < 0 ? remaining : interval);
        }
    }

    /** A tenth of the bake, between 1 s and 15 s: CloudWatch evaluates alarms once a minute at best. */
    static Duration interval(Duration bake) {
        Duration tenth = bake.dividedBy(10);
        return tenth.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : tenth.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : tenth;
    }

    private void sleep(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while watching the guard's alarms", e);
        }
    }
}
