package io.datomicgitops.template;

import io.datomicgitops.config.DeploySettings;

/**
 * How to generate the template. {@code launch}: "template" (an EC2 launch template, the default: AWS no longer lets
 * new accounts create launch configurations) or "configuration" (a launch configuration, for existing stacks that
 * have one, so an update never swaps the resource type by surprise).
 */
public record TemplateOptions(String launch) {
    public static final String LAUNCH_TEMPLATE = "template";
    public static final String LAUNCH_CONFIGURATION = "configuration";

    public TemplateOptions {
        if (!LAUNCH_TEMPLATE.equals(launch) && !LAUNCH_CONFIGURATION.equals(launch)) {
            throw new IllegalArgumentException("launch must be 'template' or 'configuration', not '" + launch + "'");
        }
    }

    public static TemplateOptions defaults() {
        return new TemplateOptions(LAUNCH_TEMPLATE);
    }

    /** The stack's deploy.properties {@code template.launch}. */
    public static TemplateOptions from(DeploySettings settings) {
        return new TemplateOptions(settings.launch());
    }

    public boolean launchConfiguration() {
        return LAUNCH_CONFIGURATION.equals(launch);
    }
}
