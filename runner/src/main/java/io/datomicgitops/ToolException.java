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

    /**
     * "where: what (todo)". A what of several lines (every error of a file at once) keeps the first line whole —
     * the first error and what to do — and lists the others below it.
     */
    private static String format(String what, String where, String todo) {
        StringBuilder sb = new StringBuilder();
        if (where != null && !where.isEmpty()) sb.append(where).append(": ");
        int newline = what == null ? -1 : what.indexOf('\n');
        sb.append(newline < 0 ? what : what.substring(0, newline));
        if (todo != null && !todo.isEmpty()) sb.append(" (").append(todo).append(')');
        if (newline >= 0) sb.append(what.substring(newline));
        return sb.toString();
    }

    public ExitCode exitCode() { return exitCode; }
    public String what() { return what; }
    public String where() { return where; }
    public String todo() { return todo; }
}
