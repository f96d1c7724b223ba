package io.datomicgitops.wait;

import io.datomicgitops.testing.replay.TestTime;
import io.datomicgitops.testing.replay.TimedLog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A wait's lines, in simulated time: the state when it changes, else a reminder at least every 30 s. */
class WaitProgressTest {
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void anUnchangingStateIsSaidAtTheFirstSleepThenBeforeAnySleepThatWouldLeaveMoreThan30sOfSilence() {
        TestTime time = new TestTime(START);
        TimedLog log = new TimedLog(time);
        Deadline deadline = Deadline.after(time, Duration.ofMinutes(2));
        WaitProgress progress = new WaitProgress(log, deadline);
        Backoff backoff = new Backoff(Duration.ofSeconds(1), 1.5, Duration.ofSeconds(15)); // 1 s, 1.5 s, ... up to 15 s
        while (!deadline.passed()) {
            Duration next = backoff.next(deadline.remaining());
            progress.beforeSleep("stack s: UPDATE_IN_PROGRESS, waiting", next);
            time.sleep(next);
        }

        List<TimedLog.Line> lines = log.lines();
        assertThat(lines.get(0)).isEqualTo(new TimedLog.Line(START, "stack s: UPDATE_IN_PROGRESS, waiting (0s so far, 2m left)"));
        assertThat(lines).allSatisfy(l -> assertThat(l.text()).startsWith("stack s: UPDATE_IN_PROGRESS, waiting ("));
        assertThat(log.longestSilence(START, time.instant())).isLessThanOrEqualTo(WaitProgress.EVERY);
        // not a line per poll: about one per 30 s
        assertThat(lines).hasSizeBetween(4, 6);
        TimedLog.Line last = lines.get(lines.size() - 1);
        // whole seconds: the time waited rounded down, the time left rounded up, so that they add up to the timeout
        assertThat(last.text()).endsWith("(1m47s so far, 13s left)");
    }

    @Test
    void aChangedStateIsSaidAtOnceAndAQuietWaitOnlyRemindsWhenItsCallerSaidNothingFor30s() {
        TestTime time = new TestTime(START);
        TimedLog log = new TimedLog(time);
        WaitProgress progress = new WaitProgress(log, time);
        progress.beforeSleep("a: Pending", Duration.ofSeconds(5));
        time.sleep(Duration.ofSeconds(5));
        progress.beforeSleep("a: Pending", Duration.ofSeconds(5));
        time.sleep(Duration.ofSeconds(5));
        progress.beforeSleep("a: InService", Duration.ofSeconds(5));
        assertThat(log.lines()).extracting(TimedLog.Line::text).containsExactly("a: Pending (0s so far)", "a: InService (10s so far)");

        TimedLog quiet = new TimedLog(time);
        WaitProgress refresh = new WaitProgress(quiet, time);
        refresh.said(); // the caller's own line
        for (int i = 0; i < 12; i++) {
            refresh.beforeQuietSleep("refresh " + (i < 6 ? "InProgress 10%" : "InProgress 50%"), Duration.ofSeconds(10));
            time.sleep(Duration.ofSeconds(10));
        }
        // 120 s of 10 s sleeps after the caller's line: a reminder every 30 s, whatever the state did
        assertThat(quiet.lines()).extracting(l -> Duration.between(START.plusSeconds(10), l.at()).toSeconds())
                .containsExactly(30L, 60L, 90L);
        assertThat(quiet.lines().get(1).text()).isEqualTo("refresh InProgress 50% (1m so far)");
    }

    @Test
    void durationsReadAsAnOperatorSaysThem() {
        assertThat(WaitProgress.human(Duration.ZERO)).isEqualTo("0s");
        assertThat(WaitProgress.human(Duration.ofMillis(45_900))).isEqualTo("45s");
        assertThat(WaitProgress.human(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(WaitProgress.human(Duration.ofMinutes(30))).isEqualTo("30m");
        assertThat(WaitProgress.human(Duration.ofMinutes(65))).isEqualTo("1h5m");
        assertThat(WaitProgress.human(Duration.ofSeconds(-3))).isEqualTo("0s");
    }
}
