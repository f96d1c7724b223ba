package io.datomicgitops.stack;

import io.datomicgitops.CommandLines;
import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.config.Redactor;
import io.datomicgitops.report.Log;
import io.datomicgitops.wait.Deadline;
import io.datomicgitops.wait.Sleeper;
import io.datomicgitops.stack.ChangeSets.Computed;
import io.datomicgitops.stack.ChangeSets.Created;
import io.datomicgitops.stack.ChangeSets.TemplateSource;
import io.datomicgitops.stack.StackPreview.ParameterValue;
import io.datomicgitops.stack.StackPreview.ResourceChange;
import io.datomicgitops.stack.StackResult.StackEventLine;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksRequest;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;
import software.amazon.awssdk.services.cloudformation.model.TemplateStage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Creates or updates a stack, always through a change set: create it, wait for it, describe it (the preview), then
 * execute it and follow the stack's events until it settles. Nothing to change is success. A plan stops after the
 * preview and deletes its change set. The stack is never deleted, and termination protection is never lowered.
 */
public final class StackDeployer {
    public static final String ASG_TYPE = "AWS::AutoScaling::AutoScalingGroup";
    private static final String MASK = "****";
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    private final AwsClients aws;
    private final String region;
    private final Log log;
    private final Clock clock;
    private final Sleeper sleeper;

    public StackDeployer(AwsClients aws, String region, Log log, Clock clock) {
        this(aws, region, log, clock, Sleeper.REAL);
    }

    public StackDeployer(AwsClients aws, String region, Log log, Clock clock, Sleeper sleeper) {
        this.aws = aws;
        this.region = region;
        this.log = log;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    private CloudFormationClient cf() {
        return aws.cloudFormation(region);
    }

    /** The region this deployer acts in, for the commands its advice prints (the AWS CLI v1 ignores AWS_REGION). */
    private String regionName() {
        return region != null && !region.isBlank() ? region : aws.defaultRegion().id();
    }

    /** An {@code aws cloudformation} command for this stack and region, ready to paste. */
    private String cfCommand(String operation, String stackName, String... options) {
        List<String> words = new ArrayList<>(List.of("aws", "cloudformation", operation));
        words.addAll(List.of(options));
        words.addAll(List.of("--stack-name", stackName, "--region", regionName()));
        return CommandLines.of(words);
    }

    // ---------------------------------------------------------------- read-only

    /** The stack as deployed, or empty when there is none. */
    public Optional<StackInfo> describe(String stackName) {
        return new StackWaiter(cf(), sleeper, log).describe(stackName).map(StackDeployer::toInfo);
    }

    /**
     * As {@link #describe(String)}, from one walk of the region's stacks that every stack of a plan of many shares
     * (kept until the run's next mutating call): a call per page of the region's stacks instead of one per stack.
     */
    public Optional<StackInfo> describeFromRegion(String stackName) {
        Map<String, Stack> all = aws.untilChange("cloudformation:stacks:" + regionName(), () -> {
            Map<String, Stack> out = new HashMap<>();
            cf().describeStacksPaginator(DescribeStacksRequest.builder().build()).stacks().forEach(s -> out.put(s.stackName(), s));
            return Map.copyOf(out);
        });
        return Optional.ofNullable(all.get(stackName)).map(StackDeployer::toInfo);
    }

    /** The deployed template's body as it was submitted (GetTemplate, stage Original), to detect drift from cf.json. */
    public Optional<String> deployedTemplate(String stackName) {
        return deployedTemplate(describe(stackName));
    }

    /** As {@link #deployedTemplate(String)}, for the stack as just described (no second DescribeStacks). */
    public Optional<String> deployedTemplate(Optional<StackInfo> info) {
        if (info.isEmpty() || info.get().isReviewOnly()) return Optional.empty();
        String stackName = info.get().stackName();
        try {
            return Optional.ofNullable(cf().getTemplate(r -> r.stackName(stackName).templateStage(TemplateStage.ORIGINAL)).templateBody());
        } catch (CloudFormationException e) {
            if (isMissingStack(e)) return Optional.empty();
            throw e;
        }
    }

    /** The one autoscaling group of the stack, read from its resources now (an update can change its name). */
    public String autoScalingGroupName(String stackName) {
        List<String> groups = autoScalingGroupNames(stackName);
        if (groups.size() == 1) return groups.get(0);
        if (groups.isEmpty()) {
            throw new ToolException(ExitCode.FAILED, "the stack has no " + ASG_TYPE + " resource", "stack " + stackName,
                    "check the template: the transactor runs in an autoscaling group (LaunchGroup)");
        }
        throw new ToolException(ExitCode.USAGE, "the stack has " + groups.size() + " autoscaling groups: " + groups,
                "stack " + stackName, "name the group to act on with --group");
    }

    /** Physical ids of the stack's autoscaling groups, in template order. */
    public List<String> autoScalingGroupNames(String stackName) {
        try {
            return cf().listStackResourcesPaginator(r -> r.stackName(stackName)).stackResourceSummaries().stream()
                    .filter(s -> ASG_TYPE.equals(s.resourceType()) && s.physicalResourceId() != null
                            && !s.resourceStatusAsString().startsWith("DELETE"))
                    .map(StackResourceSummary::physicalResourceId)
                    .toList();
        } catch (CloudFormationException e) {
            if (isMissingStack(e)) throw unknownStack(stackName);
            throw e;
        }
    }

    /**
     * What applying the request would do. For an existing stack: a change set, created, described and deleted (no
     * change to the stack). For a stack that does not exist yet: the template's resources, without CreateChangeSet
     * (which would leave an empty stack in REVIEW_IN_PROGRESS behind).
     */
    public StackPreview preview(StackRequest request) {
        prepare(request); // the request's own problems first, before any AWS call
        return preview(request, describe(request.stackName()));
    }

    /** As {@link #preview(StackRequest)}, for the stack as just described (no second DescribeStacks). */
    public StackPreview preview(StackRequest request, Optional<StackInfo> existing) {
        Prepared p = prepare(request);
        if (existing.isEmpty() || existing.get().isReviewOnly()) return templatePreview(p);
        refuseUnupdatable(existing.get());
        TemplateSource source = templateSource(p, false);
        String name = "datomic-gitops-plan-" + NAME_TIME.format(clock.instant());
        ChangeSets changeSets = new ChangeSets(cf(), sleeper, log);
        // no rollback triggers: a change set that is never executed runs none, and the guard's alarms may not exist yet
        Created created = changeSets.create(request.stackName(), name, ChangeSetType.UPDATE, source, p.parameters,
                p.capabilities, request.tags(), description(request), RollbackTriggers.NONE);
        if (created.noChanges()) return noChangePreview(p, existing.get(), name, null, created.reason(), source);
        try {
            Computed computed = changeSets.await(request.stackName(), created.id(), Deadline.after(clock, request.timeout()));
            if (computed.noChanges()) return noChangePreview(p, existing.get(), name, created.id(), computed.reason(), source);
            if (computed.failed()) throw changeSetFailed(request.stackName(), computed.reason());
            return changePreview(p, existing.get(), "UPDATE", name, created.id(), computed, source);
        } finally {
            deleteQuietly(changeSets, request.stackName(), created.id());
        }
    }

    // ---------------------------------------------------------------- apply

    /**
     * Creates or updates the stack through a change set, waits for it with its events streamed to the log, and
     * returns what happened. Nothing to change is success. Throws {@link StackFailedException} (with the result) when
     * the stack ends failed or rolled back, or the wait times out.
     */
    public StackResult apply(StackRequest request) {
        Instant start = clock.instant();
        Prepared p = prepare(request);
        String stackName = request.stackName();
        Optional<StackInfo> existing = describe(stackName);
        existing.ifPresent(this::refuseUnupdatable);
        boolean create = existing.isEmpty() || existing.get().isReviewOnly();
        ChangeSetType type = create ? ChangeSetType.CREATE : ChangeSetType.UPDATE;
        TemplateSource source = templateSource(p, true);
        String name = "datomic-gitops-" + NAME_TIME.format(clock.instant());
        ChangeSets changeSets = new ChangeSets(cf(), sleeper, log);
        Deadline deadline = Deadline.after(clock, request.timeout());

        log.progress("stack " + stackName + ": creating change set " + name + " (" + type + ")");
        Created created = changeSets.create(stackName, name, type, source, p.parameters, p.capabilities, request.tags(),
                description(request), request.rollbackTriggers());
        if (created.noChanges()) {
            StackInfo info = existing.orElseThrow(() -> changeSetFailed(stackName, created.reason()));
            return noChangeResult(p, info, noChangePreview(p, info, name, null, created.reason(), source), start);
        }
        boolean executed = false;
        try {
            Computed computed = changeSets.await(stackName, created.id(), deadline);
            if (computed.noChanges()) {
                StackInfo info = existing.orElseThrow(() -> changeSetFailed(stackName, computed.reason()));
                return noChangeResult(p, info, noChangePreview(p, info, name, created.id(), computed.reason(), source), start);
            }
            if (computed.failed()) throw changeSetFailed(stackName, computed.reason());
            StackPreview preview = create
                    ? changePreview(p, null, "CREATE", name, created.id(), computed, source)
                    : changePreview(p, existing.get(), "UPDATE", name, created.id(), computed, source);
            for (ResourceChange c : preview.changes()) {
                log.progress("stack " + stackName + ": " + c.action() + " " + c.logicalId() + " (" + c.resourceType() + ")"
                        + (c.replacement() == null ? "" : " replacement " + c.replacement()));
            }
            StackEvents events = new StackEvents(cf(), stackName, log);
            events.markNow();
            changeSets.execute(stackName, created.id());
            executed = true;
            log.progress("stack " + stackName + ": executing " + name);
            return follow(request, p, type == ChangeSetType.CREATE ? StackOperation.CREATE : StackOperation.UPDATE, name, created.id(), preview,
                    events, deadline, start);
        } finally {
            if (!executed) deleteQuietly(changeSets, stackName, created.id());
        }
    }

    /**
     * Continues the rollback of a stack in UPDATE_ROLLBACK_FAILED (ContinueUpdateRollback), skipping the named
     * resources, and waits for UPDATE_ROLLBACK_COMPLETE; after that the stack can be updated again.
     */
    public StackResult continueRollback(String stackName, List<String> resourcesToSkip, Duration timeout) {
        Instant start = clock.instant();
        StackInfo info = describe(stackName).orElseThrow(() -> unknownStack(stackName));
        if (!StackStatuses.rollbackFailed(info.status())) {
            throw new ToolException(ExitCode.USAGE, "the stack is " + info.status() + ", not UPDATE_ROLLBACK_FAILED: there is no rollback to continue",
                    "stack " + stackName, "run update-stack without --continue-rollback");
        }
        StackEvents events = new StackEvents(cf(), stackName, log);
        events.markNow();
        cf().continueUpdateRollback(r -> r.stackName(stackName).resourcesToSkip(resourcesToSkip));
        log.progress("stack " + stackName + ": continuing the rollback" + (resourcesToSkip.isEmpty() ? "" : ", skipping " + resourcesToSkip));
        Deadline deadline = Deadline.after(clock, timeout);
        Optional<Stack> end;
        try {
            end = new StackWaiter(cf(), sleeper, log).waitForEnd(stackName, events, deadline);
        } catch (StackWaiter.TimedOut t) {
            throw timedOut(stackName, StackOperation.CONTINUE_ROLLBACK, null, null, null, events, t.lastStatus, info.terminationProtection(), start, timeout);
        }
        String status = end.map(Stack::stackStatusAsString).orElse("DELETE_COMPLETE");
        String reason = end.map(Stack::stackStatusReason).orElse(null);
        boolean ok = status.equals("UPDATE_ROLLBACK_COMPLETE");
        StackResult result = StackResult.builder().stackName(stackName).stackId(info.stackId()).operation(StackOperation.CONTINUE_ROLLBACK)
                .outcome(ok ? StackOutcome.ROLLBACK_CONTINUED : StackOutcome.FAILED).stackStatus(status).statusReason(reason)
                .terminationProtection(info.terminationProtection()).durationMs(millisSince(start))
                .events(events.all()).failures(events.failures()).build();
        if (ok) {
            log.progress("stack " + stackName + ": UPDATE_ROLLBACK_COMPLETE; it can be updated again");
            return result;
        }
        throw new StackFailedException(ExitCode.FAILED, "the rollback did not complete: the stack is " + status
                + failureSummary(events.failures()), "stack " + stackName,
                "skip the resources that cannot roll back: " + continueRollbackCommand(stackName, failedResources(stackName, events.failures()))
                        + " (those named in the failing events; add or drop --skip-resource LOGICAL_ID as needed), then re-run", result);
    }

    // ---------------------------------------------------------------- internals

    /** The request checked against its template: every parameter resolved, secrets known, capabilities worked out. */
    private record Prepared(StackRequest request, StackTemplate template, Map<String, String> parameters, Set<String> noEcho,
                            Set<String> capabilities) {}

    private Prepared prepare(StackRequest request) {
        String where = "stack " + request.stackName();
        StackTemplate template = StackTemplate.parse(request.templateBody(), where);
        Map<String, String> parameters = template.resolveParameters(request.parameters(), where);
        Set<String> noEcho = template.noEchoKeys(request.noEchoParameters());
        noEcho.forEach(k -> Redactor.global().register(parameters.get(k)));
        Set<String> capabilities = new TreeSet<>(template.requiredCapabilities());
        capabilities.addAll(request.capabilities());
        return new Prepared(request, template, parameters, noEcho, capabilities);
    }

    private TemplateSource templateSource(Prepared p, boolean mayCreateBucket) {
        if (p.template.fitsInline()) return TemplateSource.inline(p.template.body());
        return TemplateSource.url(new TemplateUploader(aws, region, log)
                .upload(p.template, p.request.stackName(), p.request.templateBucket(), mayCreateBucket));
    }

    /** Refuses stacks that cannot take a change now, with what to do instead. */
    private void refuseUnupdatable(StackInfo info) {
        String where = "stack " + info.stackName();
        String status = info.status();
        if (StackStatuses.inProgress(status)) {
            throw new ToolException(ExitCode.FAILED, "the stack is " + status + ": another operation is running", where,
                    "wait for it to finish (" + cfCommand("describe-stack-events", info.stackName()) + ") and re-run");
        }
        if (StackStatuses.rollbackFailed(status)) {
            throw new ToolException(ExitCode.FAILED, "the stack is UPDATE_ROLLBACK_FAILED and cannot be updated", where,
                    continueRollbackTodo(info.stackName()));
        }
        if (StackStatuses.needsDeletion(status)) {
            throw new ToolException(ExitCode.FAILED, "the stack is " + status + " (its creation failed) and cannot be updated", where,
                    deleteTodo(info.stackName(), info.terminationProtection()));
        }
    }

    private StackResult follow(StackRequest request, Prepared p, StackOperation operation, String changeSetName, String changeSetId,
                               StackPreview preview, StackEvents events, Deadline deadline, Instant start) {
        String stackName = request.stackName();
        Optional<Stack> end;
        try {
            end = new StackWaiter(cf(), sleeper, log).waitForEnd(stackName, events, deadline);
        } catch (StackWaiter.TimedOut t) {
            throw timedOut(stackName, operation, changeSetName, changeSetId, preview, events, t.lastStatus, false, start,
                    request.timeout());
        }
        if (end.isEmpty()) {
            StackResult gone = StackResult.builder().stackName(stackName).operation(operation).outcome(StackOutcome.FAILED)
                    .stackStatus("DELETE_COMPLETE").changeSetName(changeSetName).changeSetId(changeSetId)
                    .templateUrl(preview.templateUrl()).durationMs(millisSince(start)).preview(preview)
                    .events(events.all()).failures(events.failures()).build();
            throw new StackFailedException(ExitCode.FAILED, "the stack disappeared while " + operation + " was running"
                    + failureSummary(events.failures()), "stack " + stackName,
                    "read the events above; a failed create of a stack with rollback deletes it: fix the cause and re-run", gone);
        }
        Stack stack = end.get();
        String status = stack.stackStatusAsString();
        List<String> warnings = new ArrayList<>();
        boolean protection = Boolean.TRUE.equals(stack.enableTerminationProtection());
        if (StackStatuses.success(status)) {
            protection = ensureProtection(request, stackName, protection, warnings);
            String group = firstGroup(stackName);
            log.progress("stack " + stackName + ": " + status + (group == null ? "" : ", autoscaling group " + group));
            return StackResult.builder().stackName(stackName).stackId(stack.stackId()).operation(operation)
                    .outcome(operation.success()).stackStatus(status)
                    .statusReason(stack.stackStatusReason()).changeSetName(changeSetName).changeSetId(changeSetId)
                    .templateUrl(preview.templateUrl()).terminationProtection(protection).autoScalingGroup(group)
                    .durationMs(millisSince(start)).preview(preview).events(events.all()).failures(events.failures())
                    .warnings(warnings).build();
        }
        StackResult failed = StackResult.builder().stackName(stackName).stackId(stack.stackId()).operation(operation)
                .outcome(status.contains("ROLLBACK") ? StackOutcome.ROLLED_BACK : StackOutcome.FAILED).stackStatus(status)
                .statusReason(stack.stackStatusReason()).changeSetName(changeSetName).changeSetId(changeSetId)
                .templateUrl(preview.templateUrl()).terminationProtection(protection).durationMs(millisSince(start))
                .preview(preview).events(events.all()).failures(events.failures()).warnings(warnings).build();
        for (StackEventLine f : events.failures()) log.warn("stack " + stackName + ": failed: " + f.describe());
        String what = switch (status) {
            case "UPDATE_ROLLBACK_COMPLETE" -> "the update failed and was rolled back";
            case "UPDATE_ROLLBACK_FAILED" -> "the update failed and its rollback failed too";
            case "ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "CREATE_FAILED" -> "the stack could not be created (" + status + ")";
            default -> "the stack ended " + status;
        };
        String todo = switch (status) {
            case "UPDATE_ROLLBACK_FAILED" -> continueRollbackTodo(stackName);
            case "ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "CREATE_FAILED" -> "fix the cause in the failing events; then "
                    + deleteTodo(stackName, protection);
            default -> "fix the cause named in the failing events and re-run (the stack is back on its previous template)";
        };
        throw new StackFailedException(ExitCode.FAILED, what + failureSummary(events.failures()), "stack " + stackName, todo, failed);
    }

    private StackFailedException timedOut(String stackName, StackOperation operation, String changeSetName, String changeSetId,
                                          StackPreview preview, StackEvents events, String lastStatus, boolean protection,
                                          Instant start, Duration timeout) {
        StackResult r = StackResult.builder().stackName(stackName).operation(operation).outcome(StackOutcome.TIMEOUT)
                .stackStatus(lastStatus).changeSetName(changeSetName).changeSetId(changeSetId)
                .templateUrl(preview == null ? null : preview.templateUrl()).terminationProtection(protection)
                .durationMs(millisSince(start)).preview(preview).events(events.all()).failures(events.failures()).build();
        return new StackFailedException(ExitCode.TIMEOUT, "the stack is still " + lastStatus + " after " + human(timeout),
                "stack " + stackName, "the operation goes on in AWS: follow it with " + cfCommand("describe-stack-events", stackName)
                + ", and re-run once it has settled (or raise --timeout / stack-timeout)", r);
    }

    /** Turns termination protection on when asked; never turns it off. A failure to turn it on is a warning. */
    private boolean ensureProtection(StackRequest request, String stackName, boolean current, List<String> warnings) {
        if (current) return true;
        if (!request.terminationProtection()) return false;
        try {
            aws.cloudFormationBestEffort(region).updateTerminationProtection(r -> r.stackName(stackName).enableTerminationProtection(true));
            log.progress("stack " + stackName + ": termination protection on");
            return true;
        } catch (SdkException e) {
            String w = "could not turn termination protection on (" + e.getMessage().lines().findFirst().orElse("") + "); turn it on with: "
                    + cfCommand("update-termination-protection", stackName, "--enable-termination-protection");
            warnings.add(w);
            log.warn("stack " + stackName + ": " + w);
            return false;
        }
    }

    private StackResult noChangeResult(Prepared p, StackInfo existing, StackPreview preview, Instant start) {
        String stackName = p.request.stackName();
        log.progress("stack " + stackName + ": no changes (" + existing.status() + ")");
        List<String> warnings = new ArrayList<>();
        boolean protection = ensureProtection(p.request, stackName, existing.terminationProtection(), warnings);
        return StackResult.builder().stackName(stackName).stackId(existing.stackId()).operation(StackOperation.UPDATE).outcome(StackOutcome.NO_CHANGES)
                .stackStatus(existing.status()).statusReason(existing.statusReason()).changeSetName(preview.changeSetName())
                .changeSetId(preview.changeSetId()).templateUrl(preview.templateUrl()).terminationProtection(protection)
                .autoScalingGroup(firstGroup(stackName)).durationMs(millisSince(start)).preview(preview).warnings(warnings)
                .build();
    }

    private String firstGroup(String stackName) {
        List<String> groups = autoScalingGroupNames(stackName);
        return groups.isEmpty() ? null : groups.get(0);
    }

    private StackPreview templatePreview(Prepared p) {
        List<ResourceChange> changes = p.template.resources().stream()
                .map(r -> new ResourceChange("Add", r.logicalId(), null, r.type(), null, List.of(),
                        r.condition().map(c -> List.of(new StackPreview.ChangeDetail("Condition", c, null, null, null, null)))
                                .orElse(List.of())))
                .toList();
        return new StackPreview(p.request.stackName(), StackPreview.NEW_STACK, "CREATE", "template", null, null,
                "the stack does not exist yet: every resource of the template is added", p.template.bytes(), null,
                List.copyOf(p.capabilities), parameterValues(p, null), changes);
    }

    private StackPreview noChangePreview(Prepared p, StackInfo existing, String name, String id, String reason, TemplateSource source) {
        return new StackPreview(p.request.stackName(), StackPreview.NO_CHANGES, "UPDATE", "change-set", name, id, reason,
                p.template.bytes(), source.url(), List.copyOf(p.capabilities), parameterValues(p, existing), List.of());
    }

    private StackPreview changePreview(Prepared p, StackInfo existing, String type, String name, String id, Computed computed,
                                       TemplateSource source) {
        return new StackPreview(p.request.stackName(), StackPreview.CHANGES, type, "change-set", name, id, computed.reason(),
                p.template.bytes(), source.url(), List.copyOf(p.capabilities), parameterValues(p, existing), computed.changes());
    }

    /** Parameter values for the preview: NoEcho ones masked (and their change unknowable, since AWS masks them too). */
    private static List<ParameterValue> parameterValues(Prepared p, StackInfo existing) {
        List<ParameterValue> out = new ArrayList<>();
        p.parameters.forEach((key, value) -> {
            boolean secret = p.noEcho.contains(key);
            String previous = existing == null || secret ? null : existing.parameters().get(key);
            StackTemplate.Parameter declared = p.template.parameters().get(key);
            boolean changed = existing != null && !secret && !StackTemplate.sameValue(declared == null ? null : declared.type(), previous, value);
            out.add(new ParameterValue(key, secret ? MASK : value, previous, changed, secret));
        });
        return out;
    }

    private static String description(StackRequest request) {
        String commit = request.tags().get(StackTags.COMMIT);
        return "datomic-gitops" + (commit == null ? "" : " " + commit);
    }

    private void deleteQuietly(ChangeSets changeSets, String stackName, String changeSetId) {
        if (changeSetId == null) return;
        try {
            changeSets.delete(stackName, changeSetId);
        } catch (SdkException e) {
            log.warn("stack " + stackName + ": could not delete change set " + changeSetId + ": " + e.getMessage());
        }
    }

    private static ToolException changeSetFailed(String stackName, String reason) {
        return new ToolException(ExitCode.FAILED, "CloudFormation rejected the change set: " + reason, "stack " + stackName,
                "fix the template or parameters named in the reason and re-run");
    }

    private ToolException unknownStack(String stackName) {
        return new ToolException(ExitCode.FAILED, "no such stack in " + regionName(), "stack " + stackName,
                "check the stack name and the region (the region's stacks: " + CommandLines.of("aws", "cloudformation", "describe-stacks",
                "--region", regionName(), "--query", "Stacks[].StackName") + ")");
    }

    /** datomic-gitops update-stack --continue-rollback for this stack, skipping the resources named. */
    private String continueRollbackCommand(String stackName, List<String> skip) {
        List<String> words = new ArrayList<>(List.of("datomic-gitops", "update-stack", "--stack-name", stackName, "--region", regionName(),
                "--continue-rollback"));
        for (String id : skip) words.addAll(List.of("--skip-resource", id));
        return CommandLines.of(words);
    }

    private String continueRollbackTodo(String stackName) {
        return "continue the rollback: " + continueRollbackCommand(stackName, List.of())
                + " (add --skip-resource LOGICAL_ID for each resource that cannot roll back; or "
                + cfCommand("continue-update-rollback", stackName) + "), then re-run the update";
    }

    private String deleteTodo(String stackName, boolean protection) {
        return "datomic-gitops never deletes a stack: delete it yourself"
                + (protection ? " (turn termination protection off first: "
                + cfCommand("update-termination-protection", stackName, "--no-enable-termination-protection") + ")" : "")
                + " with " + cfCommand("delete-stack", stackName) + ", then re-run";
    }

    /** The resources of the failing events (not the stack itself), each once, in order. */
    private static List<String> failedResources(String stackName, List<StackEventLine> failures) {
        return failures.stream().map(StackEventLine::logicalId).filter(id -> id != null && !id.equals(stackName)).distinct().toList();
    }

    private static String failureSummary(List<StackEventLine> failures) {
        if (failures.isEmpty()) return "";
        StringBuilder sb = new StringBuilder(": ");
        for (int i = 0; i < failures.size(); i++) {
            StackEventLine f = failures.get(i);
            if (i > 0) sb.append("; ");
            sb.append(f.logicalId()).append(' ').append(f.status());
            if (f.reason() != null && !f.reason().isBlank()) sb.append(" (").append(f.reason()).append(')');
        }
        return sb.toString();
    }

    static boolean isMissingStack(AwsServiceException e) {
        String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
        return e.statusCode() == 400 && message != null && message.contains("does not exist");
    }

    private long millisSince(Instant start) {
        return Duration.between(start, clock.instant()).toMillis();
    }

    private static String human(Duration d) {
        return d.toMinutes() > 0 && d.toSecondsPart() == 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
    }

    private static StackInfo toInfo(Stack s) {
        Map<String, String> parameters = new LinkedHashMap<>();
        s.parameters().forEach(p -> parameters.put(p.parameterKey(), p.parameterValue()));
        Map<String, String> outputs = new LinkedHashMap<>();
        for (Output o : s.outputs()) outputs.put(o.outputKey(), o.outputValue());
        Map<String, String> tags = new LinkedHashMap<>();
        s.tags().forEach(t -> tags.put(t.key(), t.value()));
        return new StackInfo(s.stackName(), s.stackId(), s.stackStatusAsString(), s.stackStatusReason(),
                Boolean.TRUE.equals(s.enableTerminationProtection()),
                s.creationTime() == null ? null : s.creationTime().toString(),
                s.lastUpdatedTime() == null ? null : s.lastUpdatedTime().toString(),
                parameters, outputs, tags);
    }
}
