package io.datomicgitops.deploy;

import io.datomicgitops.report.Log;

/** Prefixes each line with the stack's name, so stacks planned side by side stay readable. */
public record PrefixedLog(Log log, String prefix) implements Log {
    @Override
    public void progress(String line) {
        log.progress(prefix + line);
    }

    @Override
    public void warn(String line) {
        log.warn(prefix + line);
    }
}
