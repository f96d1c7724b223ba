package io.datomicgitops.stack;

import io.datomicgitops.wait.Sleeper;

import io.datomicgitops.wait.Deadline;

import io.datomicgitops.wait.Backoff;

import io.datomicgitops.ExitCode;
import io.datomicgitops.report.Log;
import io.datomicgitops.wait.WaitProgress;
import io.datomicgitops.ToolException;
import io.datomicgitops.stack.StackPreview.ChangeDetail;
import io.datomicgitops.stack.StackPreview.ResourceChange;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Change;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.ResourceChangeDetail;
import software.amazon.awssdk.services.cloudformation.model.RollbackConfiguration;
import software.amazon.awssdk.services.cloudformation.model.RollbackTrigger;
import software.amazon.awssdk.services.cloudformation.model.Tag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Creates, waits for, describes, executes and deletes change sets, and recognises "nothing to change". */
final class ChangeSets {
    private final CloudFormationClient cf;
    private final Sleeper sleeper;
    private final Log log;

    ChangeSets(CloudFormationClient cf, Sleeper sleeper, Log log) {
        this.cf = cf;
        this.sleeper = sleeper;
        this.log = log;
    }

    /** Where the template comes from: inline body, or a URL in S3 for a template over the inline limit. */
    record TemplateSource(String body, String url) {
        static TemplateSource inline(String body) { return new TemplateSource(body, null); }
        static TemplateSource url(String url) { return new TemplateSource(null, url); }
    }

    /** A change set that exists (id set), or "no changes" answered at once by CreateChangeSet (id null). */
    record Created(String name, String id, boolean noChanges, String reason) {}

    /** A change set once CloudFormation has finished computing it. */
    record Computed(String status, String reason, List<ResourceChange> changes) {
        boolean noChanges() {
            return "FAILED".equals(status) && ChangeSets.isNoChangeMessage(reason);
        }

        boolean failed() {
            return "FAILED".equals(status) && !noChanges();
        }
    }

    /** Both forms AWS (and the sandbox) use for an update that would change nothing. */
    static boolean isNoChangeMessage(String message) {
        if (message == null) return false;
        String m = message.toLowerCase();
        return m.contains("didn't contain changes") || m.contains("no updates are to be performed");
    }

    Created create(String stackName, String name, ChangeSetType type, TemplateSource source, Map<String, String> parameters,
                   Set<String> capabilities, Map<String, String> tags, String description, RollbackTriggers triggers) {
        try {
            var r = cf.createChangeSet(request(stackName, name, type, source, parameters, capabilities, tags, description, triggers));
            return new Created(name, r.id(), false, null);
        } catch (CloudFormationException e) {
            String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
            if (isNoChangeMessage(message)) return new Created(name, null, true, message);
            throw e;
        }
    }

    /** The CreateChangeSet request; the rollback triggers, when there are any, with their monitoring time in whole minutes. */
    static CreateChangeSetRequest request(String stackName, String name, ChangeSetType type, TemplateSource source,
                                          Map<String, String> parameters, Set<String> capabilities, Map<String, String> tags,
                                          String description, RollbackTriggers triggers) {
        CreateChangeSetRequest.Builder b = CreateChangeSetRequest.builder()
                .stackName(stackName)
                .changeSetName(name)
                // the SDK retries a call whose answer was lost with the same token: CloudFormation then knows it is
                // not a second change set of that name (without it the retry fails with AlreadyExists)
                .clientToken(name)
                .changeSetType(type)
                .description(description)
                .parameters(parameters.entrySet().stream()
                        .map(e -> Parameter.builder().parameterKey(e.getKey()).parameterValue(e.getValue()).build()).toList())
                .capabilitiesWithStrings(capabilities)
                .tags(tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList());
        if (source.url() != null) b.templateURL(source.url());
        else b.templateBody(source.body());
        if (!triggers.none()) {
            b.rollbackConfiguration(RollbackConfiguration.builder()
                    .rollbackTriggers(triggers.alarmArns().stream()
                            .map(arn -> RollbackTrigger.builder().arn(arn).type(RollbackTriggers.ALARM_TYPE).build()).toList())
                    .monitoringTimeInMinutes((int) triggers.monitoring().toMinutes())
                    .build());
        }
        return b.build();
    }

    /**
     * Waits until the change set is computed (CREATE_COMPLETE or FAILED), saying its status at least every 30 s, and
     * reads all its changes.
     */
    Computed await(String stackName, String changeSetId, Deadline deadline) {
        Backoff backoff = Backoff.forStacks();
        WaitProgress progress = new WaitProgress(log, deadline);
        while (true) {
            DescribeChangeSetResponse first = cf.describeChangeSet(r -> r.stackName(stackName).changeSetName(changeSetId));
            String status = first.statusAsString();
            if ("CREATE_COMPLETE".equals(status) || "FAILED".equals(status)) {
                return new Computed(status, first.statusReason(), allChanges(stackName, changeSetId, first));
            }
            if (deadline.passed()) {
                throw new ToolException(ExitCode.TIMEOUT, "change set " + changeSetId + " is still " + status, "stack " + stackName,
                        "CloudFormation is slow to compute it; re-run later or raise the timeout");
            }
            Duration next = backoff.next(deadline.remaining());
            progress.beforeSleep("stack " + stackName + ": change set " + first.changeSetName() + " is " + status + ", waiting", next);
            sleep(next);
        }
    }

    private List<ResourceChange> allChanges(String stackName, String changeSetId, DescribeChangeSetResponse first) {
        List<ResourceChange> out = new ArrayList<>();
        DescribeChangeSetResponse page = first;
        while (true) {
            for (Change c : page.changes()) {
                if (c.resourceChange() != null) out.add(toResourceChange(c.resourceChange()));
            }
            String token = page.nextToken();
            if (token == null || token.isEmpty()) return out;
            page = cf.describeChangeSet(r -> r.stackName(stackName).changeSetName(changeSetId).nextToken(token));
        }
    }

    private static ResourceChange toResourceChange(software.amazon.awssdk.services.cloudformation.model.ResourceChange rc) {
        List<ChangeDetail> details = new ArrayList<>();
        for (ResourceChangeDetail d : rc.details()) {
            var target = d.target();
            details.add(new ChangeDetail(
                    target == null ? null : target.attributeAsString(),
                    target == null ? null : target.name(),
                    target == null ? null : target.requiresRecreationAsString(),
                    d.evaluationAsString(),
                    d.changeSourceAsString(),
                    d.causingEntity()));
        }
        return new ResourceChange(rc.actionAsString(), rc.logicalResourceId(), rc.physicalResourceId(), rc.resourceType(),
                rc.replacementAsString(), List.copyOf(rc.scopeAsStrings()), List.copyOf(details));
    }

    /** Executes the change set; a retried call carries the same request token, so it is not a second execution. */
    void execute(String stackName, String changeSetId) {
        cf.executeChangeSet(r -> r.stackName(stackName).changeSetName(changeSetId).clientRequestToken(executeToken(changeSetId)));
    }

    /** "execute-" and the change set's unique id (the last part of its ARN): letters, digits and dashes, as the API wants. */
    static String executeToken(String changeSetId) {
        String unique = changeSetId.substring(changeSetId.lastIndexOf('/') + 1).replaceAll("[^-a-zA-Z0-9]", "");
        return ("execute-" + unique).substring(0, Math.min(128, 8 + unique.length()));
    }

    void delete(String stackName, String changeSetId) {
        cf.deleteChangeSet(r -> r.stackName(stackName).changeSetName(changeSetId));
    }

    private void sleep(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the change set", e);
        }
    }
}
