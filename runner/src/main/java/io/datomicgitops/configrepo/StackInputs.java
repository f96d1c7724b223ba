package io.datomicgitops.configrepo;

import io.datomicgitops.deploy.DeployContext;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.config.DeploySettings;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.config.Schema;
import io.datomicgitops.config.Validator;
import io.datomicgitops.ensure.EnsureOptions;
import io.datomicgitops.report.Log;
import io.datomicgitops.template.TemplateOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A stack folder's files, read and validated: deploy settings, transactor and CloudFormation properties, the
 * committed template. The region is the command line's, else deploy.properties', else cf.properties' aws-region.
 */
public record StackInputs(StackFolder folder, DeploySettings settings, PropertiesFile tx, PropertiesFile cf,
                          Optional<String> committedTemplate, String region) {

    public static StackInputs read(StackFolder folder, String regionOverride, Log log) {
        DeploySettings settings = DeploySettings.read(folder.dir());
        PropertiesFile tx = readValid(folder.file(StackFolder.TRANSACTOR), Schema.TRANSACTOR, log);
        PropertiesFile cf = readValid(folder.file(StackFolder.CF), Schema.CF, log);
        String region = Optional.ofNullable(regionOverride).or(settings::region).or(() -> cf.get("aws-region"))
                .orElseThrow(() -> new ToolException(ExitCode.INVALID_CONFIG, "no AWS region for the stack",
                        folder.relativeDir(), "set aws-region in " + StackFolder.DEPLOY + " or " + StackFolder.CF));
        Path template = folder.file(StackFolder.TEMPLATE);
        Optional<String> committed;
        try {
            committed = Files.exists(template) ? Optional.of(Files.readString(template)) : Optional.empty();
        } catch (java.io.IOException e) {
            throw new ToolException(ExitCode.INVALID_CONFIG, "cannot read " + template + ": " + e.getMessage(),
                    template.toString(), "check the file");
        }
        return new StackInputs(folder, settings, tx, cf, committed, region);
    }

    private static PropertiesFile readValid(Path file, Schema schema, Log log) {
        if (!Files.exists(file)) {
            throw new ToolException(ExitCode.INVALID_CONFIG, "missing " + file.getFileName(), file.getParent().toString(),
                    "every stack folder holds " + StackFolder.TRANSACTOR + ", " + StackFolder.CF + " and " + StackFolder.DEPLOY);
        }
        PropertiesFile p = PropertiesFile.read(file);
        Validator.requireValid(p, schema).forEach(w -> log.warn(w.toString()));
        return p;
    }

    /** The ensure phases' options for this stack: tagged with the stack name, checked against the stack. */
    public EnsureOptions ensureOptions(boolean plan, DeployContext ctx) {
        java.util.Map<String, String> env = ctx.env();
        EnsureOptions o = EnsureOptions.apply(settings.stackName()).withPlan(plan).withStack(settings.stackName(), region)
                .withAdopt(ctx.allowances().adopt()).withAllowNewResources(ctx.allowances().allowNewResources());
        if (settings.engine().equals("datomic")) o = o.withDatomicEngine(Path.of(settings.datomicHome().orElseThrow()), env);
        return o;
    }

    public TemplateOptions templateOptions() {
        return TemplateOptions.from(settings);
    }

    /** A copy to plan on: planned keys are set in it, the files on disk stay untouched. */
    public static PropertiesFile copy(PropertiesFile p) {
        return PropertiesFile.parse(p.name(), p.toBytes());
    }
}
