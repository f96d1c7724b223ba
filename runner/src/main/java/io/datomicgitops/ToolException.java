package io.datomicgitops;

/**
 * An error the operator can act on: what went wrong, where, and what to do. The CLI prints
 * {@link #getMessage()} as one line and exits with {@link #exitCode()}.
 */
public class ToolException extends RuntimeException {
    private final ExitCode exitCode;
    private final String what;
    private final String where;
    private final String todo;

    public ToolException(ExitCode exitCode, String what, String where, String todo) {
        this(exitCode, what, where, todo, null);
    }

    public ToolException(ExitCode exitCode, String what, String where, String todo, Throwable cause) {
        super(format(what, where, todo), cause);
        this.exitCode = exitCode;
        this.what = what;
        this.where = where;
        this.todo = todo;
    }

    private static String format(String what, String where, String todo) {
        StringBuilder sb = new StringBuilder();
        if (where != null && !where.isEmpty()) sb.append(where).append(": ");
        sb.append(what);
        if (todo != null && !todo.isEmpty()) sb.append(" (").append(todo).append(')');
        return sb.toString();
    }

    public ExitCode exitCode() { return exitCode; }
    public String what() { return what; }
    public String where() { return where; }
    public String todo() { return todo; }
}
