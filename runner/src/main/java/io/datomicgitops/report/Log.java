package io.datomicgitops.report;

/** Where services report progress; the CLI's console implements it, tests can collect the lines. */
public interface Log {
    /** A timestamped progress line (phase steps, waits, stack events). */
    void progress(String line);

    void warn(String line);

    /** Discards everything; for callers that want no output. */
    Log NONE = new Log() {
        @Override public void progress(String line) { }
        @Override public void warn(String line) { }
    };
}
