package io.datomicgitops.cli;

import io.datomicgitops.ExitCode;
import io.datomicgitops.config.AtomicFiles;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.configrepo.StackFolder;
import io.datomicgitops.template.GeneratedTemplate;
import io.datomicgitops.template.TemplateGenerator;
import io.datomicgitops.template.TemplateOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code create-cf-template TX CF OUT}: Datomic's command and argument order; writes OUT atomically, makes no AWS call. */
@Command(name = "create-cf-template", mixinStandardHelpOptions = true,
        description = "Generate the CloudFormation template (JSON) that runs the transactor, from transactor.properties "
                + "and cf.properties. Deterministic and free of secrets: commit OUT. Makes no AWS call.")
public final class CreateCfTemplateCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "TX", description = "transactor.properties")
    Path tx;

    @Parameters(index = "1", paramLabel = "CF", description = "cf.properties")
    Path cf;

    @Parameters(index = "2", paramLabel = "OUT", description = "the template to write, e.g. cf.json")
    Path out;

    @Option(names = "--launch", paramLabel = "MODE",
            description = "template (an EC2 launch template) or configuration (a launch configuration, only for stacks that already "
                    + "have one); default: template.launch of the deploy.properties next to TX, else template")
    String launch;

    @Override
    protected ExitCode execute() throws IOException {
        if (launch == null) {
            // the flow generates the stack's template with its template.launch: so does this command, next to it
            Path deploy = EnsureTransactorCommand.Common.sibling(tx, StackFolder.DEPLOY);
            launch = StackDirectory.settings(this, deploy, null, overrides()).templateOptions().launch();
        }
        if (!TemplateOptions.LAUNCH_TEMPLATE.equals(launch) && !TemplateOptions.LAUNCH_CONFIGURATION.equals(launch)) {
            throw new io.datomicgitops.ToolException(ExitCode.USAGE, "--launch must be template or configuration, not '" + launch + "'",
                    "command line", "see: datomic-gitops create-cf-template --help");
        }
        Instant start = clock().instant();
        PropertiesFile txFile = PropertiesFile.read(tx);
        PropertiesFile cfFile = PropertiesFile.read(cf);
        GeneratedTemplate template = new TemplateGenerator().generate(txFile, cfFile, new TemplateOptions(launch));
        template.warnings().forEach(console::warn);

        byte[] bytes = template.bytes();
        boolean changed = !Files.exists(out) || !Arrays.equals(Files.readAllBytes(out), bytes);
        if (changed) AtomicFiles.write(out, bytes);
        console.println((changed ? "wrote " : "unchanged: ") + out + " (launch " + launch + ", "
                + (template.parameters().size() + template.secretParameters().size()) + " parameters)");
        template.secretParameters().forEach((parameter, key) -> console.println(
                "NoEcho parameter " + parameter + " <- " + tx + " " + key + " (resolved and passed at stack update time)"));

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("out", out.toString());
        result.put("changed", changed);
        result.put("launch", launch);
        result.put("noEchoParameters", template.secretParameters());
        result.put("warnings", template.warnings());
        report.addPhase(null, "template", "ok", Duration.between(start, clock().instant()),
                (changed ? "wrote " : "unchanged ") + out, result);
        return ExitCode.OK;
    }
}
