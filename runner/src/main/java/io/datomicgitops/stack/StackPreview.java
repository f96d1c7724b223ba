package io.datomicgitops.stack;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * What applying a template would do to a stack: from a change set (created, described and, for a plan, deleted),
 * or for a stack that does not exist yet, from the template alone (every resource added; no AWS call that changes
 * anything). Goes into report.json as is; {@link ChangeSetMarkdown} renders it for people.
 */
@JsonPropertyOrder({"stackName", "status", "changeSetType", "source", "changeSetName", "changeSetId", "statusReason",
        "templateBytes", "templateUrl", "capabilities", "parameters", "changes"})
public record StackPreview(
        String stackName,
        /** "new-stack", "changes" or "no-changes". */
        String status,
        /** CREATE or UPDATE. */
        String changeSetType,
        /** "change-set" or "template" (a stack that does not exist yet, previewed without CreateChangeSet). */
        String source,
        String changeSetName,
        String changeSetId,
        String statusReason,
        int templateBytes,
        String templateUrl,
        List<String> capabilities,
        List<ParameterValue> parameters,
        List<ResourceChange> changes) {

    public static final String NEW_STACK = "new-stack";
    public static final String CHANGES = "changes";
    public static final String NO_CHANGES = "no-changes";

    public boolean hasChanges() {
        return !NO_CHANGES.equals(status);
    }

    /** One resource the change set adds, modifies, removes, imports or re-evaluates. */
    @JsonPropertyOrder({"action", "logicalId", "physicalId", "resourceType", "replacement", "scope", "details"})
    public record ResourceChange(
            String action,
            String logicalId,
            String physicalId,
            String resourceType,
            /** True, False, Conditional; null when AWS does not say (Add, Remove, or a sandbox). */
            String replacement,
            List<String> scope,
            List<ChangeDetail> details) {}

    /** Why a resource changes: which attribute, whether that recreates it, and what caused it. */
    @JsonPropertyOrder({"attribute", "name", "requiresRecreation", "evaluation", "changeSource", "causingEntity"})
    public record ChangeDetail(String attribute, String name, String requiresRecreation, String evaluation,
                               String changeSource, String causingEntity) {}

    /** A parameter value as sent (NoEcho values are never shown), with the deployed value when it differs. */
    @JsonPropertyOrder({"key", "value", "previous", "changed", "noEcho"})
    public record ParameterValue(String key, String value, String previous, boolean changed, boolean noEcho) {}

    /** Resource types whose change means the running transactors are on an old configuration. */
    public static final java.util.Set<String> LAUNCH_TYPES = java.util.Set.of("AWS::EC2::LaunchTemplate", "AWS::AutoScaling::LaunchConfiguration");

    /** The change set lists a change to the launch template or configuration. */
    public boolean listsLaunchChange() {
        return changes().stream().anyMatch(c -> LAUNCH_TYPES.contains(c.resourceType()));
    }
}
