package io.datomicgitops.configrepo;


import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.aws.AwsSettings;
import io.datomicgitops.config.DeploySettings;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.config.Schema;
import io.datomicgitops.config.Secrets;
import io.datomicgitops.config.Validator;
import io.datomicgitops.ensure.EnsureOptions;
import io.datomicgitops.stack.StackRequest;
import io.datomicgitops.stack.StackTags;
import io.datomicgitops.template.GeneratedTemplate;
import io.datomicgitops.template.TemplateOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A stack folder's files, read and validated once: its resolved settings, the transactor and CloudFormation
 * properties, the committed template. Plan and apply both work from this one snapshot.
 */
public record StackInputs(StackFolder folder, StackSettings settings, PropertiesFile deploy, PropertiesFile tx, PropertiesFile cf,
                          Optional<String> committedTemplate, Optional<String> recordJson) {

    public static StackInputs read(StackFolder folder, StackSettings.Overrides overrides, AwsSettings aws, Map<String, String> env) {
        folder.requireInsideClone();
        PropertiesFile deploy = DeploySettings.file(folder.dir());
        PropertiesFile tx = readValid(folder.file(StackFolder.TRANSACTOR), Schema.TRANSACTOR);
        PropertiesFile cf = readValid(folder.file(StackFolder.CF), Schema.CF);
        StackSettings settings = StackSettings.of(DeploySettings.from(deploy), cf, overrides, aws, env);
        settings.requireRegion(folder.relativeDir());
        if (settings.engine() == io.datomicgitops.ensure.EnsureOptions.Engine.DATOMIC) {
            String where = overrides != null && overrides.datomicHome() != null ? "--datomic-home" : deploy.where("datomic-home");
            settings.datomicHome().ifPresent(home -> folder.requireOutsideClone(home, where));
        }
        return new StackInputs(folder, settings, deploy, tx, cf, readIfPresent(folder.file(StackFolder.TEMPLATE)),
                readIfPresent(folder.file(StackFolder.RECORD)));
    }

    /**
     * The hash of what a deployment of these files deploys, from the files as held in memory: as read, or as the
     * ensure phases and the template have since written them.
     */
    public String configHash(String template) {
        return ConfigHash.of(tx.toBytes(), cf.toBytes(), template.getBytes(StandardCharsets.UTF_8), deploy.toBytes());
    }

    /** The hash of the files as read. */
    public String configHash() {
        return ConfigHash.of(tx.toBytes(), cf.toBytes(), committedTemplate.map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null), deploy.toBytes());
    }

    /** A generated file's text, its line endings as git stores them (compared with what the tool generates, in LF). */
    private static Optional<String> readIfPresent(Path file) {
        try {
            return Files.exists(file) ? Optional.of(ConfigHash.lf(Files.readString(file))) : Optional.empty();
        } catch (java.io.IOException e) {
            throw new ToolException(ExitCode.INVALID_CONFIG, "cannot read " + file + ": " + e.getMessage(),
                    file.toString(), "check the file");
        }
    }

    /** The stack's region: the command line's, else deploy.properties', else cf.properties' aws-region. */
    public String region() {
        return settings.requireRegion(folder.relativeDir());
    }

    public String stackName() {
        return settings.stackName().orElseThrow();
    }

    /** Reads and validates a file: errors stop here; warnings reach the plan's findings (findings.DatomicChecks). */
    private static PropertiesFile readValid(Path file, Schema schema) {
        if (!Files.exists(file)) {
            throw new ToolException(ExitCode.INVALID_CONFIG, "missing " + file.getFileName(), file.getParent().toString(),
                    "every stack folder holds " + StackFolder.TRANSACTOR + ", " + StackFolder.CF + " and " + StackFolder.DEPLOY);
        }
        PropertiesFile p = PropertiesFile.read(file);
        Validator.requireValid(p, schema);
        return p;
    }

    /** The ensure phases' options for this stack: tagged with the stack name, checked against the stack. */
    public EnsureOptions ensureOptions(boolean plan, boolean adopt, boolean allowNewResources) {
        return settings.ensureOptions(plan, stackName(), adopt, allowNewResources);
    }

    public TemplateOptions templateOptions() {
        return settings.templateOptions();
    }

    /** The stack request plan and apply both send: every parameter explicit, secrets resolved in memory only. */
    public StackRequest stackRequest(GeneratedTemplate template, PropertiesFile tx, PropertiesFile cf, StackSource source, Secrets secrets) {
        return settings.stackRequest(stackName(), template.json())
                .parameters(template.parameterValues(tx, cf, secrets))
                .noEcho(template.noEchoParameters())
                .tags(StackTags.of(source.repoUrl(), source.templateCommit()))
                .build();
    }

    /** A copy to plan on: planned keys are set in it, the files on disk stay untouched. */
    public static PropertiesFile copy(PropertiesFile p) {
        return PropertiesFile.parse(p.name(), p.toBytes());
    }
}
