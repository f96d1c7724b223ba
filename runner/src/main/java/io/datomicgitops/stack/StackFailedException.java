package io.datomicgitops.stack;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;

/** A stack operation that ended badly (failed, rolled back, timed out); carries what happened for the report. */
public final class StackFailedException extends ToolException {
    private final transient StackResult result;

    public StackFailedException(ExitCode code, String what, String where, String todo, StackResult result) {
        super(code, what, where, todo);
        this.result = result;
    }

    public StackResult result() {
        return result;
    }
}
