package io.datomicgitops.testing.replay;

import io.datomicgitops.report.Log;

import java.util.ArrayList;
import java.util.List;

/** A {@link Log} that keeps every line, so tests can check what an operator would have read. */
public final class RecordingLog implements Log {
    private final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void progress(String line) {
        lines.add(line);
    }

    @Override
    public synchronized void warn(String line) {
        lines.add("warning: " + line);
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    public synchronized String text() {
        return String.join("\n", lines);
    }
}
