package io.datomicgitops.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.datomicgitops.aws.ApiCallCounter;
import io.datomicgitops.config.AtomicFiles;
import io.datomicgitops.config.Redactor;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON report every command writes for the pipeline to read (schema in the README). Phases add their
 * results; the command fills in the outcome; {@link #write} redacts secrets and writes atomically.
 */
@JsonPropertyOrder({"schemaVersion", "tool", "version", "command", "status", "exitCode", "startedAt", "finishedAt",
        "durationMs", "error", "findings", "stacks", "phases", "commits", "awsCalls"})
public final class Report {
    public static final int SCHEMA_VERSION = 1;

    public final int schemaVersion = SCHEMA_VERSION;
    public final String tool = "datomic-gitops";
    public final String version;
    public final String command;
    /** running, then ok | changes-pending | failed | interrupted. */
    public String status = "running";
    public int exitCode;
    public final String startedAt;
    public String finishedAt;
    public Long durationMs;
    public ErrorInfo error;
    /**
     * What a reviewer must see (io.datomicgitops.findings.Finding: severity, code, message, where, acknowledged); typed
     * loosely so this package depends on no phase. Left out of the JSON when there is none.
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public final List<Object> findings = new ArrayList<>();
    /** Free per-stack summary (plan: changes per stack; apply: deployment record). */
    public final Map<String, Object> stacks = new LinkedHashMap<>();
    public final List<Phase> phases = new ArrayList<>();
    public final List<Commit> commits = new ArrayList<>();
    public AwsCalls awsCalls;

    private final transient Clock clock;

    public Report(String version, String command, Clock clock) {
        this.version = version;
        this.command = command;
        this.clock = clock;
        this.started = clock.instant();
        this.startedAt = started.toString();
    }

    private final transient Instant started;

    @JsonPropertyOrder({"stack", "phase", "status", "durationMs", "summary", "result"})
    public record Phase(String stack, String phase, String status, long durationMs, String summary, Object result) {}

    /** A commit (or tag) the run made and pushed; durationMs: writing, committing and pushing it, the write-ahead round trip. */
    @JsonPropertyOrder({"stack", "phase", "id", "subject", "pushed", "tag", "durationMs"})
    public record Commit(String stack, String phase, String id, String subject, boolean pushed, String tag, Long durationMs) {}

    @JsonPropertyOrder({"message", "where", "todo", "exitCode"})
    public record ErrorInfo(String message, String where, String todo, int exitCode) {}

    @JsonPropertyOrder({"total", "mutating", "byOperation"})
    public record AwsCalls(long total, long mutating, Map<String, Long> byOperation) {}

    public synchronized void addPhase(String stack, String phase, String status, Duration took, String summary, Object result) {
        phases.add(new Phase(stack, phase, status, took.toMillis(), summary, result));
    }

    public synchronized void addFindings(java.util.Collection<?> more) {
        findings.addAll(more);
    }

    public synchronized void addCommit(Commit commit) {
        commits.add(commit);
    }

    public synchronized void putStack(String stack, Object summary) {
        stacks.put(stack, summary);
    }

    /** Synchronized, as the report is also finished and written from a signal's thread (an interrupted run). */
    public synchronized void finish(String status, int exitCode, ApiCallCounter counter) {
        this.status = status;
        this.exitCode = exitCode;
        Instant finished = clock.instant();
        this.finishedAt = finished.toString();
        this.durationMs = Duration.between(started, finished).toMillis();
        if (counter != null) awsCalls = new AwsCalls(counter.total(), counter.mutatingTotal(), counter.snapshot());
    }

    public synchronized String toJson(Redactor redactor) {
        return redactor.redact(Json.write(this));
    }

    public void write(Path path, Redactor redactor) {
        AtomicFiles.write(path, toJson(redactor));
    }
}
