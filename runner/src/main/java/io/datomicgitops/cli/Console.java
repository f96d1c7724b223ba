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

    public Console(PrintStream out, PrintStream err, Redactor redactor, Clock clock) {
        this.out = out;
        this.err = err;
        this.redactor = redactor;
        this.clock = clock;
    }

    /** A plain line of a command's result (no timestamp). */
    public void println(String line) {
        out.println(redactor.redact(line));
        out.flush();
    }

    /** A timestamped progress line, for long waits and phase steps. */
    @Override
    public void progress(String line) {
        out.println(LocalTime.ofInstant(clock.instant(), ZoneOffset.UTC).format(TIME) + " " + redactor.redact(line));
        out.flush();
    }

    /** Each distinct warning once per run: a file read by both plan and apply warns once, not twice. */
    @Override
    public void warn(String line) {
        String text = "warning: " + redactor.redact(line);
        if (!warned.add(text)) return;
        err.println(text);
        err.flush();
    }

    /** A plain line on the error stream, before an error line: what the failed run did first. */
    public void note(String line) {
        err.println(redactor.redact(line));
        err.flush();
    }

    public void error(String line) {
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
