package io.datomicgitops.cli;

import io.datomicgitops.ExitCode;
import io.datomicgitops.config.Redactor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import java.util.Properties;

/** The runner's entry point: {@code datomic-gitops <command> ...}. */
@Command(name = "datomic-gitops",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "GitOps deployment of Datomic Pro transactors on AWS: ensure, template, stack update, instance replacement.",
        subcommands = {CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 failed, 2 changes pending (plan), 3 invalid config, 4 git,",
                "5 AWS access, 6 locked, 7 timeout, 64 usage, 130 interrupted (SIGINT, SIGTERM)."})
public final class Main implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--debug", description = "print stack traces of errors", scope = CommandLine.ScopeType.INHERIT)
    boolean debug;

    private final Map<String, String> env;
    private final Console console;
    private final Clock clock;
    private final PrintStream err;
    private final Interrupts interrupts;

    public Main(Map<String, String> env, PrintStream out, PrintStream err, Clock clock) {
        this(env, out, err, clock, Interrupts.NONE);
    }

    Main(Map<String, String> env, PrintStream out, PrintStream err, Clock clock, Interrupts interrupts) {
        this.env = env;
        this.clock = clock;
        this.err = err;
        this.interrupts = interrupts;
        this.console = new Console(out, err, Redactor.global(), clock);
    }

    /** The process's entry point: SIGINT and SIGTERM end a running command as interrupted (exit 130). */
    public static void main(String[] args) {
        System.exit(run(System.getenv(), System.out, System.err, Clock.systemUTC(), Interrupts.install(), args));
    }

    /** Runs one command line in-process and returns its exit code. */
    public static int run(Map<String, String> env, PrintStream out, PrintStream err, Clock clock, String... args) {
        return run(env, out, err, clock, Interrupts.NONE, args);
    }

    static int run(Map<String, String> env, PrintStream out, PrintStream err, Clock clock, Interrupts interrupts, String... args) {
        CommandLine cl = commandLine(new Main(env, out, err, clock, interrupts));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    static CommandLine commandLine(Main main) {
        CommandLine cl = new CommandLine(main);
        Commands.register(cl);
        Converters.register(cl);
        cl.setExitCodeExceptionMapper(e -> ExitCode.USAGE.code);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("error: " + message(ex) + " (see: datomic-gitops "
                    + (c == cl ? "" : c.getCommandName() + " ") + "--help)");
            return ExitCode.USAGE.code;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println("error: unexpected error: " + Redactor.global().redact(String.valueOf(ex)));
            return ExitCode.FAILED.code;
        });
        return cl;
    }

    /** A typed option's bad value reads as "--timeout: 'soon' is not a duration (...)", like every other error. */
    private static String message(CommandLine.ParameterException ex) {
        if (ex.getCause() instanceof CommandLine.TypeConversionException bad && ex.getArgSpec() instanceof CommandLine.Model.OptionSpec option) {
            return option.longestName() + ": " + bad.getMessage();
        }
        return ex.getMessage();
    }

    @Override
    public Integer call() {
        CommandLine cl = commandLine(this);
        console.error("a command is required (one of the commands below; see: datomic-gitops COMMAND --help)");
        cl.usage(err);
        return ExitCode.USAGE.code;
    }

    Map<String, String> env() { return env; }
    Console console() { return console; }
    Clock clock() { return clock; }
    boolean debug() { return debug; }
    Interrupts interrupts() { return interrupts; }

    public static String version() {
        try (InputStream in = Main.class.getResourceAsStream("/io/datomicgitops/version.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"datomic-gitops " + version()};
        }
    }
}
