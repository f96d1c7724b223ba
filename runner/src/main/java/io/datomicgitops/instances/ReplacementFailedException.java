package io.datomicgitops.instances;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;

/** A replacement that stopped (timeout or failure) after restoring the capacity; carries what happened for the report. */
public final class ReplacementFailedException extends ToolException {
    private final transient ReplacementResult result;

    public ReplacementFailedException(ExitCode code, String what, String where, String todo, ReplacementResult result) {
        super(code, what, where, todo);
        this.result = result;
    }

    public ReplacementResult result() {
        return result;
    }
}
