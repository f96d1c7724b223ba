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
    private final java.util.List<String> context;

    public ToolException(ExitCode exitCode, String what, String where, String todo) {
        this(exitCode, what, where, todo, null);
    }

    public ToolException(ExitCode exitCode, String what, String where, String todo, Throwable cause) {
        this(exitCode, what, where, todo, cause, java.util.List.of());
    }

    private ToolException(ExitCode exitCode, String what, String where, String todo, Throwable cause, java.util.List<String> context) {
        super(format(what, where, todo), cause);
        this.exitCode = exitCode;
        this.what = what;
        this.where = where;
        this.todo = todo;
        this.context = java.util.List.copyOf(context);
    }

    /**
     * The same error with lines the CLI prints before its error line: what the run did before it failed (e.g. each
     * stack's outcome), so the error output tells the whole story.
     */
    public ToolException withContext(java.util.List<String> lines) {
        return new ToolException(exitCode, what, where, todo, getCause(), lines);
    }

    /** Lines to print before the error line; empty for most errors. */
    public java.util.List<String> context() {
        return context;
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
