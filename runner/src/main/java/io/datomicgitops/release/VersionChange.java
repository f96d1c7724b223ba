package io.datomicgitops.release;

import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.stack.StackPreview;
import io.datomicgitops.template.TemplateGenerator;

import java.util.Optional;

/**
 * The Datomic version a deployment moves a stack from and to: the one the stack runs now (its DatomicVersion
 * parameter, as the stack preview read it back from CloudFormation; empty for a stack the preview creates, a
 * review-only one included: it never ran) and cf.properties' {@code datomic-version} as the deployment leaves it.
 * Plan and apply read it from the same preview.
 */
public record VersionChange(Optional<String> running, Optional<String> wanted) {

    public static VersionChange of(StackPreview preview, PropertiesFile cf) {
        boolean runs = preview != null && !"CREATE".equals(preview.changeSetType());
        Optional<String> running = !runs ? Optional.empty() : preview.parameters().stream()
                .filter(p -> p.key().equals(TemplateGenerator.DATOMIC_VERSION_PARAMETER))
                .map(StackPreview.ParameterValue::previous).filter(v -> v != null && !v.isBlank()).findFirst();
        return new VersionChange(running, cf.get("datomic-version"));
    }

    /** The deployment sets a version the stack does not run (a new stack included). */
    public boolean changes() {
        return wanted.isPresent() && !wanted.equals(running);
    }

    /** A running stack moves to another version: what the backup is taken before. */
    public boolean changesRunningStack() {
        return running.isPresent() && changes();
    }

    /** "1.0.7187 -> 1.0.7277", or "1.0.7277 (new stack)". */
    public String describe() {
        return running.map(r -> r + " -> ").orElse("") + wanted.orElse("?") + (running.isEmpty() ? " (new stack)" : "");
    }
}
