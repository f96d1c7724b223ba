package io.datomicgitops.git;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A commit message the audit log can be read from: the subject names the phase and the stack, the body lists
 * what changed, and trailers ({@code Phase:}, {@code Stack:}, {@code Approved-by:}, {@code Build-URL:},
 * {@code Change-Set:}) can be queried with {@code git log --format=%(trailers)}.
 */
public final class CommitMessage {
    private final String subject;
    private final List<String> body = new ArrayList<>();
    private final Map<String, String> trailers = new LinkedHashMap<>();

    private CommitMessage(String subject) {
        this.subject = subject;
    }

    /** Subject "phase(stack): summary". */
    public static CommitMessage of(String phase, String stack, String summary) {
        CommitMessage m = new CommitMessage(phase + "(" + stack + "): " + summary);
        m.trailer("Phase", phase);
        m.trailer("Stack", stack);
        return m;
    }

    /**
     * A message that says it is this tool's (every one carries the Phase trailer {@link #of} adds). Anyone can write
     * that line: it labels the history, it never decides what the tool trusts (record.OwnCommits does).
     */
    public static boolean isTools(String fullMessage) {
        return fullMessage.contains("\nPhase: ");
    }

    /** The value of a trailer line ({@code Key: value}) of a full message; the last one when there are several. */
    public static Optional<String> trailerOf(String fullMessage, String key) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + ": (\\S+)\\s*$").matcher(fullMessage);
        String value = null;
        while (m.find()) value = m.group(1);
        return Optional.ofNullable(value);
    }

    public CommitMessage line(String line) {
        body.add(line);
        return this;
    }

    /** Adds a trailer; blank values are left out. */
    public CommitMessage trailer(String key, String value) {
        if (value != null && !value.isBlank()) trailers.put(key, value.replace('\n', ' ').trim());
        return this;
    }

    public String subject() {
        return subject;
    }

    public String text() {
        StringBuilder sb = new StringBuilder(subject).append("\n");
        if (!body.isEmpty()) {
            sb.append("\n");
            body.forEach(l -> sb.append(l).append("\n"));
        }
        sb.append("\n");
        trailers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\n"));
        return sb.toString();
    }
}
