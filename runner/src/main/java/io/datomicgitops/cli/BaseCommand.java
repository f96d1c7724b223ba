package io.datomicgitops.cli;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.aws.ApiCallCounter;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.aws.AwsErrors;
import io.datomicgitops.config.Redactor;
import io.datomicgitops.config.Secrets;
import io.datomicgitops.report.Report;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The frame of every command: parse (picocli), run, turn any failure into one clear line and an exit code,
 * write the JSON report, close the AWS clients. Subclasses implement {@link #execute()}.
 */
public abstract class BaseCommand implements Callable<Integer> {
    @ParentCommand
    protected Main main;

    @Mixin
    protected AwsOptions aws;

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
        return new Secrets(env()::get, Redactor.global());
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
        ExitCode code;
        try {
            code = execute();
            report.finish(code == ExitCode.OK ? "ok" : code == ExitCode.CHANGES_PENDING ? "changes-pending" : "failed",
                    code.code, counter);
        } catch (ToolException e) {
            code = fail(e);
        } catch (SdkException e) {
            code = fail(AwsErrors.translate(e, counter));
        } catch (UncheckedIOException e) {
            code = fail(new ToolException(ExitCode.FAILED, e.getMessage(), "file system", "check the path and permissions", e));
        } catch (Exception e) {
            code = fail(new ToolException(ExitCode.FAILED, "unexpected error: " + e, commandName(),
                    "re-run with the same arguments; if it persists, report it with the report file", e));
        } finally {
            if (clients != null) clients.close();
        }
        writeReport();
        return code.code;
    }

    private ExitCode fail(ToolException e) {
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
            report.write(path, console.redactor());
        } catch (RuntimeException e) {
            console.warn("could not write the report to " + path + ": " + e.getMessage());
        }
    }
}
