package io.datomicgitops.cli;

import io.datomicgitops.ExitCode;
import io.datomicgitops.configrepo.StackSettings;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.ensure.EnsureService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** {@code ensure-cf IN OUT}, as {@code bin/datomic}, with a plan mode. */
@Command(name = "ensure-cf", mixinStandardHelpOptions = true,
        description = {"Create or check the transactor's security group (ingress on the transactor port), its instance profile, "
                + "and fill in java-xmx, java-opts and datomic-version in OUT (OUT may be IN: edited in place).",
                "The transactor role comes from --transactor FILE (default: transactor.properties next to IN), "
                        + "else from aws-instance-profile in IN.",
                "--plan only reports. Exit codes: 0 done or nothing to do, 2 plan with changes pending, 3 invalid file, 5 AWS access."})
public final class EnsureCfCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "IN", description = "CloudFormation properties file to read")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "file to write (the same path as IN edits it in place)")
    Path out;

    @Option(names = "--transactor", paramLabel = "FILE",
            description = "the transactor properties file (for the transactor role and port; default: transactor.properties next to IN)")
    Path transactor;

    @Option(names = "--datomic-version", paramLabel = "VERSION",
            description = "value for a missing datomic-version (the native engine has no distribution to read it from)")
    String datomicVersion;

    @Mixin
    EnsureTransactorCommand.Common common;

    @Override
    protected ExitCode execute() {
        PropertiesFile cf = PropertiesFile.read(in);
        PropertiesFile tx = transactorFile().map(PropertiesFile::read).orElse(null);
        if (tx != null) console.println("transactor role from " + tx.name());
        StackSettings settings = common.settings(this, in);
        String system = common.system(settings, () -> tx != null ? tx.get("aws-dynamodb-table", "datomic")
                : cf.get("aws-security-group", "datomic"));
        EnsureService service = new EnsureService(aws(), console, clock());
        return common.run(this, "ensure-cf", in, out, cf, settings, system,
                options -> service.ensureCf(cf, tx, options.withDatomicVersion(datomicVersion)));
    }

    private Optional<Path> transactorFile() {
        if (transactor != null) return Optional.of(transactor);
        Path sibling = EnsureTransactorCommand.Common.sibling(in, "transactor.properties");
        if (sibling != null && Files.exists(sibling) && !sibling.equals(in.toAbsolutePath().normalize())) return Optional.of(sibling);
        return Optional.empty();
    }
}
