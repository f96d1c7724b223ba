package io.datomicgitops.cli;

import io.datomicgitops.ExitCode;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.config.Schema;
import io.datomicgitops.config.Validator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Checks properties files: types of known keys, duplicates, unknown keys (warned). */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check transactor.properties, cf.properties and deploy.properties files; errors give file:line.")
public final class ValidateCommand extends BaseCommand {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "properties files to check")
    List<Path> files;

    @Option(names = "--kind", paramLabel = "KIND", description = "transactor, cf or deploy (default: from the file name)")
    String kind;

    @Override
    protected ExitCode execute() {
        List<Validator.Problem> errors = new ArrayList<>();
        for (Path file : files) {
            PropertiesFile props = PropertiesFile.read(file);
            for (Validator.Problem p : Validator.check(props, schemaFor(file))) {
                if (p.severity() == Validator.Severity.ERROR) errors.add(p);
                else console.warn(p.toString());
            }
        }
        if (!errors.isEmpty()) throw Validator.invalid(errors);
        console.println("ok: " + files.size() + " file(s) valid");
        return ExitCode.OK;
    }

    private Schema schemaFor(Path file) {
        String k = kind != null ? kind : file.getFileName().toString();
        if (k.startsWith("transactor")) return Schema.TRANSACTOR;
        if (k.startsWith("cf")) return Schema.CF;
        if (k.startsWith("deploy")) return Schema.DEPLOY;
        throw new io.datomicgitops.ToolException(ExitCode.USAGE, "cannot tell what kind of file this is", file.toString(),
                "name it transactor.properties, cf.properties or deploy.properties, or pass --kind");
    }
}
