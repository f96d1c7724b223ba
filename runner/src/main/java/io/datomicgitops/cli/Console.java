package io.datomicgitops.cli;

import io.datomicgitops.config.Redactor;

import java.io.PrintStream;
import java.time.Clock;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Everything the runner prints goes through here, and through the {@link Redactor}: a secret never reaches a log
 * line even when it hides in an exception message. Progress lines carry a UTC time so a Jenkins log reads as a
 * timeline.
 */
public final class Console implements io.datomicgitops.report.Log {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private final PrintStream out;
    private final PrintStream err;
    private final Redactor redactor;
    private final Clock clock;
    private final java.util.Set<String> warned = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The last progress line, without its time: where a run was when it was interrupted. */
    private volatile String lastProgress;
    /** Set by {@link #freeze}: what the run's other threads print after it is dropped. */
    private volatile boolean silenced;

    public Console(PrintStream out, PrintStream err, Redactor redactor, Clock clock) {
        this.out = out;
        this.err = err;
        this.redactor = redactor;
        this.clock = clock;
    }

    /** A plain line of a command's result (no timestamp). */
    public void println(String line) {
        if (silenced) return;
        out.println(redactor.redact(line));
        out.flush();
    }

    /** A timestamped progress line, for long waits and phase steps. */
    @Override
    public synchronized void progress(String line) {
        if (silenced) return;
        String text = redactor.redact(line);
        lastProgress = text;
        out.println(LocalTime.ofInstant(clock.instant(), ZoneOffset.UTC).format(TIME) + " " + text);
        out.flush();
    }

    /**
     * Stops printing anything but {@link #lastLine}, and returns the last progress line printed (redacted, without its
     * time), or null before the first: where an interrupted run stopped, as its output shows it. The run's other
     * threads go on until the process exits; what they say after this is dropped.
     */
    public synchronized String freeze() {
        silenced = true;
        return lastProgress;
    }

    /** The run's last line, an error, printed even after {@link #freeze}. */
    public void lastLine(String error) {
        silenced = true;
        err.println("error: " + redactor.redact(error));
        err.flush();
        out.flush();
    }

    /** Each distinct warning once per run: a file read by both plan and apply warns once, not twice. */
    @Override
    public void warn(String line) {
        String text = "warning: " + redactor.redact(line);
        if (silenced || !warned.add(text)) return;
        err.println(text);
        err.flush();
    }

    /** A plain line on the error stream, before an error line: what the failed run did first. */
    public void note(String line) {
        err.println(redactor.redact(line));
        err.flush();
    }

    public void error(String line) {
        if (silenced) return;
        err.println("error: " + redactor.redact(line));
        err.flush();
    }

    /** A stack trace (--debug), redacted like every other line: an exception's message may quote a secret. */
    public void trace(Throwable t) {
        java.io.StringWriter text = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(text));
        err.print(redactor.redact(text.toString()));
        err.flush();
    }

    public Redactor redactor() {
        return redactor;
    }
}
