package io.datomicgitops.cli;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.aws.ApiCallCounter;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.aws.AwsErrors;
import io.datomicgitops.config.Redactor;
import io.datomicgitops.config.Secrets;
import io.datomicgitops.lock.StackLock;
import io.datomicgitops.report.Report;
import io.datomicgitops.wait.WaitProgress;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The frame of every command: parse (picocli), run, turn any failure into one clear line and an exit code,
 * write the JSON report, close the AWS clients; on SIGINT or SIGTERM, end the run as interrupted (report, locks
 * released, one line, exit 130). Subclasses implement {@link #execute()}.
 */
public abstract class BaseCommand implements Callable<Integer> {
    @ParentCommand
    protected Main main;

    @Mixin
    protected AwsOptions aws;

    @Mixin
    protected SecretOptions secretSources;

    @Option(names = "--report", paramLabel = "FILE", description = "write the JSON report to FILE")
    protected Path reportPath;

    protected Console console;
    protected Report report;
    protected final ApiCallCounter counter = new ApiCallCounter();
    private AwsClients clients;

    /** Runs the command; returns the exit code. Throw {@link ToolException} for an error the operator can fix. */
    protected abstract ExitCode execute() throws Exception;

    /** The report file when --report is not given; null means no report unless asked for. */
    protected Path defaultReportPath() {
        return null;
    }

    /** The config repo clone the command works on, if any: a report written inside it is kept out of git's changes. */
    protected Path cloneDir() {
        return null;
    }

    protected String commandName() {
        return getClass().getAnnotation(picocli.CommandLine.Command.class).name();
    }

    protected Map<String, String> env() {
        return main.env();
    }

    protected Clock clock() {
        return main.clock();
    }

    protected Secrets secrets() {
        return new Secrets(env()::get, Redactor.global(), secretSources.sources());
    }

    /** What the GitOps flow's phases share. */
    protected io.datomicgitops.deploy.DeployContext deployContext(io.datomicgitops.deploy.DeployContext.Allowances allowances) {
        return new io.datomicgitops.deploy.DeployContext(aws(), console, clock(), secrets(), env(), overrides(), allowances);
    }

    /** What the command line says about every stack it touches (the flow commands name no stack in their options). */
    protected io.datomicgitops.configrepo.StackSettings.Overrides overrides() {
        return io.datomicgitops.configrepo.StackSettings.Overrides.NONE.withRegion(aws.explicitRegion(), aws.overrideRegion);
    }

    /** Created on first use, so commands that never call AWS need no credentials. Each retried call is said on the console. */
    protected AwsClients aws() {
        if (clients == null) clients = new AwsClients(aws.settings(env()), counter, console::progress);
        return clients;
    }

    @Override
    public final Integer call() {
        console = main.console();
        report = new Report(Main.version(), commandName(), clock());
        Interrupts interrupts = main.interrupts();
        interrupts.enter(this::interrupted);
        ExitCode code = null;
        ToolException failure = null;
        try {
            code = execute();
        } catch (ToolException e) {
            failure = e;
        } catch (SdkException e) {
            failure = AwsErrors.translate(e, counter);
        } catch (UncheckedIOException e) {
            failure = new ToolException(ExitCode.FAILED, e.getMessage(), "file system",
                    "check the path, its permissions and the disk's free space, then run again", e);
        } catch (Exception e) {
            failure = new ToolException(ExitCode.FAILED, "unexpected error: " + e, commandName(),
                    "re-run with the same arguments; if it persists, report it with the report file", e);
        } catch (Error e) {
            if (interrupts.leave() && clients != null) clients.close();
            throw e;
        }
        // a signal that came meanwhile has taken the end of the run over: it writes the report, and the process exits
        if (!interrupts.leave()) return interrupts.awaitExit();
        try {
            if (failure != null) {
                code = fail(failure);
            } else {
                report.finish(code == ExitCode.OK ? "ok" : code == ExitCode.CHANGES_PENDING ? "changes-pending" : "failed",
                        code.code, counter);
            }
        } finally {
            if (clients != null) clients.close();
        }
        writeReport();
        return code.code;
    }

    /** How long an interrupted run waits for DynamoDB to release the locks it holds (well inside Interrupts.BUDGET). */
    static final Duration RELEASE_WITHIN = Duration.ofSeconds(3);

    /**
     * A signal (SIGINT, SIGTERM) while {@link #execute()} runs, on the signal's thread: releases the stack locks this
     * process holds and gives up its places in line for others, writes the report with status interrupted and an
     * error saying where the run stopped and what to do, and prints that as the run's last line; the process exits
     * with 130 after it ({@link Interrupts}).
     */
    private void interrupted(String signal) {
        List<String> stacks = new ArrayList<>();
        List<String> released = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        long until = System.nanoTime() + RELEASE_WITHIN.toNanos();
        // a lock the main thread takes meanwhile is released too (it goes on until the exit)
        for (int round = 0; round < 3 && !StackLock.held().isEmpty(); round++) {
            for (StackLock.Lease lease : StackLock.held()) {
                Duration left = Duration.ofNanos(Math.max(0, until - System.nanoTime()));
                Optional<String> problem = lease.releaseWithin(left);
                String stack = lease.holder().stack();
                stacks.add(stack);
                if (problem.isEmpty()) {
                    released.add(stack);
                } else {
                    kept.add("the lock on " + stack + " could not be released (" + problem.get() + "): it runs out within "
                            + WaitProgress.human(lease.lease()) + ", or remove it now: " + lease.forceUnlockCommand());
                }
            }
        }
        List<String> lines = StackLock.leaveLines(); // the runs behind it in line need not wait for its ticket to run out
        String last = console.freeze(); // the last line printed is where it stopped: nothing is printed after it
        String what = "interrupted by " + signal + (last == null ? " before its first step" : " after: " + last)
                + (released.isEmpty() ? "" : "; the lock on " + String.join(", ", released) + " was released")
                + (lines.isEmpty() ? "" : "; its place in line for the lock on " + String.join(", ", lines) + " was given up");
        StringBuilder todo = new StringBuilder(interruptedTodo());
        if (counter.mutatingTotal() > 0) {
            todo.append("; an AWS operation it started (a stack update, an instance refresh) goes on without it, and a run that"
                    + " finds one still in progress says so: run again once it has settled");
        }
        kept.forEach(k -> todo.append("; ").append(k));
        ToolException e = new ToolException(ExitCode.INTERRUPTED, what,
                commandName() + (stacks.isEmpty() ? "" : ", stack " + String.join(", ", stacks)), todo.toString());
        report.error = new Report.ErrorInfo(e.what(), e.where(), e.todo(), e.exitCode().code);
        report.finish("interrupted", e.exitCode().code, counter);
        writeReport();
        console.lastLine(e.getMessage());
    }

    /** What to do after an interrupted run, in the error it prints. */
    protected String interruptedTodo() {
        return "run " + commandName() + " again: it finishes from where it stopped";
    }

    private ExitCode fail(ToolException e) {
        e.context().forEach(console::note);
        console.error(e.getMessage());
        if (main.debug() && e.getCause() != null) console.trace(e.getCause());
        report.error = new Report.ErrorInfo(e.what(), e.where(), e.todo(), e.exitCode().code);
        report.finish("failed", e.exitCode().code, counter);
        return e.exitCode();
    }

    private void writeReport() {
        Path path = reportPath != null ? reportPath : defaultReportPath();
        if (path == null) return;
        try {
            io.datomicgitops.git.OwnFiles.keepOutOfClone(cloneDir(), path, console);
            report.write(path, console.redactor());
        } catch (RuntimeException e) {
            console.warn("could not write the report to " + path + ": " + e.getMessage());
        }
    }
}
