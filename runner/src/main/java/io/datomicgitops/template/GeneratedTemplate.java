package io.datomicgitops.template;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.config.Secrets;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A generated template and what it takes to deploy it.
 *
 * @param json             the exact text to commit (UTF-8, trailing newline); never holds a secret
 * @param parameters       every non-secret parameter with its value (the same as its Default), in template order
 * @param secretParameters every NoEcho parameter -> the transactor.properties key whose value it carries
 * @param launch           "template" or "configuration": the launch resource the template declares
 * @param warnings         things the operator should know (file:line first); never a secret value
 */
public record GeneratedTemplate(String json, Map<String, String> parameters, Map<String, String> secretParameters,
                                String launch, List<String> warnings) {

    public GeneratedTemplate {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        secretParameters = Collections.unmodifiableMap(new LinkedHashMap<>(secretParameters));
        warnings = List.copyOf(warnings);
    }

    public byte[] bytes() {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Every parameter's value to pass to CloudFormation (pass all of them explicitly: do not rely on
     * UsePreviousValue). Secret ones are resolved in memory through {@code secrets.resolve(tx, key)} (placeholders
     * such as {@code ${env:NAME}} included) and escaped for the properties file; never write the result anywhere.
     * {@code tx} and {@code cf} must be the files the template was generated from: a difference is refused.
     */
    public Map<String, String> parameterValues(PropertiesFile tx, PropertiesFile cf, Secrets secrets) {
        CfSettings now = CfSettings.read(cf, tx, new InputProblems());
        if (now == null || !TemplateParameters.values(now).equals(parameters)) {
            throw new ToolException(ExitCode.INVALID_CONFIG, "the properties differ from those the template was generated from",
                    cf.name(), "regenerate the template (create-cf-template) and commit it");
        }
        Map<String, String> values = new LinkedHashMap<>(parameters);
        secretParameters.forEach((parameter, key) -> {
            if (tx.get(key).isEmpty()) {
                throw new ToolException(ExitCode.INVALID_CONFIG, "'" + key + "' is blank or missing, but the template passes it "
                        + "as the parameter " + parameter, tx.where(key), "regenerate the template from this file (create-cf-template)");
            }
            values.put(parameter, PropertiesText.escapeValue(secrets.resolve(tx, key)));
        });
        return Collections.unmodifiableMap(values);
    }

    /**
     * The logical id of the launch resource ({@code LaunchTemplate} or {@code LaunchConfig}): compare it with the
     * deployed stack's resources before an update, so a stack is never switched from one to the other by surprise.
     */
    public String launchResourceId() {
        return TemplateOptions.LAUNCH_CONFIGURATION.equals(launch) ? TemplateGenerator.LAUNCH_CONFIGURATION : TemplateGenerator.LAUNCH_TEMPLATE;
    }

    /** The NoEcho parameters (CloudFormation masks their values in every answer). */
    public Set<String> noEchoParameters() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(secretParameters.keySet()));
    }
}
