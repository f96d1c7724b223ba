package io.datomicgitops.cli;

import io.datomicgitops.ExitCode;
import io.datomicgitops.config.DeploySettings;
import io.datomicgitops.configrepo.StackFolder;
import io.datomicgitops.configrepo.StackSettings;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.ensure.EnsureOptions;
import io.datomicgitops.ensure.EnsureResult;
import io.datomicgitops.ensure.EnsureService;
import io.datomicgitops.ensure.ResourceChange;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** {@code ensure-transactor IN OUT}, as {@code bin/datomic}, with a plan mode and names that are never lost. */
@Command(name = "ensure-transactor", mixinStandardHelpOptions = true,
        description = {"Create or check the AWS resources of a DynamoDB transactor (table, log bucket, transactor and peer roles "
                + "with Datomic's policies) and write the generated names into OUT (OUT may be IN: edited in place).",
                "--plan only reports. Exit codes: 0 done or nothing to do, 2 plan with changes pending, 3 invalid file, 5 AWS access."})
public final class EnsureTransactorCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "IN", description = "transactor properties file to read")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "file to write (the same path as IN edits it in place)")
    Path out;

    @Mixin
    Common common;

    @Override
    protected ExitCode execute() {
        PropertiesFile tx = PropertiesFile.read(in);
        StackSettings settings = common.settings(this, in);
        String system = common.system(settings, () -> tx.get("aws-dynamodb-table", "datomic"));
        return common.run(this, "ensure-transactor", in, out, tx, settings, system, options -> service().ensureTransactor(tx, options));
    }

    private EnsureService service() {
        return new EnsureService(aws(), console, clock());
    }

    /** Options and flow shared by ensure-transactor and ensure-cf. */
    public static final class Common {
        @Option(names = "--plan", description = "read-only: report what would change; no mutating AWS call, no file written")
        boolean plan;

        @Option(names = "--stack-name", paramLabel = "NAME",
                description = "the CloudFormation stack of this transactor, checked (read-only) before any name is generated "
                        + "(default: stack-name in the deploy.properties next to IN)")
        String stackName;

        @Option(names = "--system", paramLabel = "NAME",
                description = "the name created resources are tagged with, and recovered by (default: the stack name, else the table name)")
        String system;

        @Option(names = "--adopt", description = "the stack exists but generated keys are missing: take their names from the stack")
        boolean adopt;

        @Option(names = "--allow-new-resources", description = "the stack exists but generated keys are missing: create new resources anyway")
        boolean allowNewResources;

        @Option(names = "--engine", paramLabel = "ENGINE", description = "native (default) or datomic (run DATOMIC_HOME/bin/datomic)")
        String engine;

        @Option(names = "--datomic-home", paramLabel = "DIR", description = "the Datomic distribution for --engine datomic (default: datomic-home in deploy.properties)")
        Path datomicHome;

        @Option(names = "--deploy-properties", paramLabel = "FILE", description = "deployment settings (default: deploy.properties next to IN, when present)")
        Path deployProperties;

        static Path sibling(Path file, String name) {
            Path dir = file.toAbsolutePath().getParent();
            return dir == null ? null : dir.resolve(name);
        }

        String system(StackSettings settings, java.util.function.Supplier<String> fallback) {
            if (system != null && !system.isBlank()) return system;
            return settings.stackName().orElseGet(fallback);
        }

        /** The stack's settings from the deploy.properties and cf.properties next to IN, as the flow resolves them. */
        StackSettings settings(BaseCommand cmd, Path in) {
            Path deployFile = deployProperties != null ? deployProperties : sibling(in, DeploySettings.FILE_NAME);
            return StackDirectory.settings(cmd, deployFile, sibling(in, StackFolder.CF),
                    cmd.overrides().withStackName(stackName).withEngine(engine, datomicHome));
        }

        EnsureOptions options(StackSettings settings, String system, Path out) {
            EnsureOptions o = settings.ensureOptions(plan, system, adopt, allowNewResources);
            return plan ? o : o.withListener((file, keys) -> file.write(out));
        }

        ExitCode run(BaseCommand cmd, String phase, Path in, Path out, PropertiesFile file, StackSettings settings,
                     String system, Function<EnsureOptions, EnsureResult> call) {
            boolean sameFile = in.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize());
            EnsureOptions options = options(settings, system, out);
            Instant start = cmd.clock().instant();
            cmd.console.println(phase + " " + in + (plan ? " (plan" : " (apply") + ", " + options.engine().label()
                    + " engine, system " + system + options.stackName().map(s -> ", stack " + s).orElse("") + ")");
            EnsureResult result = call.apply(options);
            if (!plan && !sameFile) file.write(out); // bin/datomic always writes OUT
            print(cmd.console, result);
            boolean pending = plan && result.changed();
            cmd.report.addPhase(options.stackName().orElse(null), phase, pending ? "changes-pending" : "ok",
                    Duration.between(start, cmd.clock().instant()), result.summary(), result);
            return pending ? ExitCode.CHANGES_PENDING : ExitCode.OK;
        }

        static void print(Console console, EnsureResult result) {
            for (ResourceChange c : result.resources()) {
                StringBuilder line = new StringBuilder(String.format("  %-17s %-16s %s", c.action().label(), c.kind().label(), c.name()));
                if (c.key() != null) line.append("  [").append(c.key()).append(']');
                if (c.note() != null) line.append("  ").append(c.note());
                console.println(line.toString());
                for (ResourceChange.Difference d : c.differences()) {
                    console.println("      " + d.field() + ": " + d.from());
                    console.println("      " + " ".repeat(d.field().length()) + "  -> " + d.to());
                }
            }
            result.keysWritten().forEach((k, v) -> console.println("  " + (result.plan() ? "would write " : "wrote ") + k + "=" + v));
            result.warnings().forEach(console::warn);
            console.println((result.plan() ? "plan: " : "done: ") + result.summary());
        }
    }
}
