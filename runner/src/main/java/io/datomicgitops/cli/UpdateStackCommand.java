package io.datomicgitops.cli;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.configrepo.StackSettings;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.stack.ChangeSetMarkdown;
import io.datomicgitops.stack.StackDeployer;
import io.datomicgitops.stack.StackFailedException;
import io.datomicgitops.stack.StackPreview;
import io.datomicgitops.stack.StackRequest;
import io.datomicgitops.stack.StackResult;
import io.datomicgitops.stack.StackTags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Creates or updates the transactor stack through a change set; --plan previews it; --continue-rollback unsticks it. */
@Command(name = "update-stack", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Create or update the transactor stack, always through a CloudFormation change set: preview it, execute it,"
                + " follow the stack's events until it settles. Nothing to change is success (exit 0).",
                "--plan previews only (exit 2 when there are changes) and deletes its change set.",
                "Settings come from the stack folder's deploy.properties; options override them."})
public final class UpdateStackCommand extends BaseCommand {
    @Option(names = "--stack-dir", paramLabel = "DIR", description = "stack folder: deploy.properties and cf.json")
    Path stackDir;

    @Option(names = "--stack-name", paramLabel = "NAME", description = "CloudFormation stack (default: stack-name in deploy.properties)")
    String stackName;

    @Option(names = "--template", paramLabel = "FILE", description = "template JSON (default: DIR/cf.json)")
    Path template;

    @Option(names = {"-p", "--parameter"}, paramLabel = "KEY=VALUE",
            description = "a template parameter (others take the template's Default); $${env:NAME} and $${file:/path} are resolved")
    Map<String, String> parameters = new LinkedHashMap<>();

    @Option(names = "--no-echo", paramLabel = "KEY", description = "treat this parameter as secret, like NoEcho ones")
    List<String> noEcho = new ArrayList<>();

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "an extra stack tag")
    Map<String, String> tags = new LinkedHashMap<>();

    @Option(names = "--config-repo", paramLabel = "URL", description = "the config repo, recorded in a stack tag (credentials removed)")
    String configRepo;

    @Option(names = "--commit", paramLabel = "SHA", description = "the config commit, recorded in a stack tag")
    String commit;

    @Option(names = "--template-bucket", paramLabel = "BUCKET",
            description = "S3 bucket for templates over 51,200 bytes (default: template-bucket, else datomic-gitops-templates-<account>-<region>)")
    String templateBucket;

    @Option(names = "--capability", paramLabel = "CAPABILITY", description = "an extra capability (IAM ones are worked out from the template)")
    List<String> capabilities = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "DURATION", description = "how long to wait for the stack (default: stack-timeout, 30m)")
    Duration timeout;

    @Option(names = "--termination-protection", negatable = true, paramLabel = "",
            description = "turn termination protection on (default: termination-protection, true); it is never turned off")
    Boolean terminationProtection;

    @Option(names = "--plan", description = "preview only: the change set is created, described and deleted")
    boolean plan;

    @Option(names = "--preview-markdown", paramLabel = "FILE", description = "also write the preview as Markdown to FILE")
    Path previewMarkdown;

    @Option(names = "--continue-rollback", description = "continue the rollback of a stack in UPDATE_ROLLBACK_FAILED, then stop")
    boolean continueRollback;

    @Option(names = "--skip-resource", paramLabel = "LOGICAL_ID", description = "with --continue-rollback: a resource that cannot roll back")
    List<String> skipResources = new ArrayList<>();

    @Override
    protected ExitCode execute() {
        StackSettings settings = StackDirectory.settings(this, stackDir, overrides().withStackName(stackName).withStackTimeout(timeout));
        String name = settings.requireStackName("update-stack");
        String region = settings.region().orElse(null);
        Duration wait = settings.stackTimeout();
        StackDeployer deployer = new StackDeployer(aws(), region, console, clock());
        Instant start = clock().instant();

        if (continueRollback) {
            try {
                StackResult r = deployer.continueRollback(name, skipResources, wait);
                record(name, "continue-rollback", "ok", start, "UPDATE_ROLLBACK_COMPLETE", r);
                console.println("stack " + name + ": rollback continued to UPDATE_ROLLBACK_COMPLETE; re-run update-stack to apply the template");
                return ExitCode.OK;
            } catch (StackFailedException e) {
                record(name, "continue-rollback", "failed", start, e.result().stackStatus(), e.result());
                throw e;
            }
        }

        StackRequest request = request(name, settings);
        if (plan) {
            StackPreview preview = deployer.preview(request);
            show(preview);
            record(name, "plan-stack", preview.hasChanges() ? "changes" : "no-changes", start, preview.status(), preview);
            return preview.hasChanges() ? ExitCode.CHANGES_PENDING : ExitCode.OK;
        }
        try {
            StackResult r = deployer.apply(request);
            if (r.preview() != null) show(r.preview());
            record(name, "update-stack", "ok", start, r.outcome() + " (" + r.stackStatus() + ")", r);
            console.println("stack " + name + ": " + r.outcome() + ", " + r.stackStatus()
                    + (r.autoScalingGroup() == null ? "" : ", autoscaling group " + r.autoScalingGroup()));
            return ExitCode.OK;
        } catch (StackFailedException e) {
            record(name, "update-stack", e.result().outcome().label(), start, e.result().outcome() + " (" + e.result().stackStatus() + ")", e.result());
            throw e;
        }
    }

    private StackRequest request(String name, StackSettings settings) {
        Path file = template != null ? template : stackDir != null ? stackDir.resolve("cf.json") : null;
        if (file == null) throw new ToolException(ExitCode.USAGE, "no template", "update-stack", "pass --template FILE or --stack-dir DIR");
        String body;
        try {
            body = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ToolException(ExitCode.INVALID_CONFIG, "cannot read the template: " + e.getMessage(), file.toString(),
                    "generate it (create-cf-template) or fix the path", e);
        }
        io.datomicgitops.stack.StackTemplate.parse(body, file.toString()); // a broken file is named before any AWS call
        StackRequest.Builder request = settings.stackRequest(name, body)
                .parameters(resolved(parameters))
                .noEcho(Set.copyOf(noEcho))
                .tags(StackTags.of(Optional.ofNullable(configRepo), Optional.ofNullable(commit)))
                .tags(tags);
        if (templateBucket != null) request.templateBucket(templateBucket);
        if (terminationProtection != null) request.terminationProtection(terminationProtection);
        capabilities.forEach(request::capability);
        return request.build();
    }

    /** Parameter values with their ${env:...} / ${file:...} placeholders resolved (the values are then redacted). */
    private Map<String, String> resolved(Map<String, String> given) {
        Map<String, String> out = new LinkedHashMap<>();
        given.forEach((k, v) -> {
            PropertiesFile one = PropertiesFile.parse("--parameter " + k, k + "=" + v.replace("\\", "\\\\"));
            out.put(k, secrets().resolve(one, k));
        });
        return out;
    }

    private void show(StackPreview preview) {
        String md = ChangeSetMarkdown.render(preview);
        console.println(md.stripTrailing());
        if (previewMarkdown != null) {
            try {
                io.datomicgitops.config.AtomicFiles.write(previewMarkdown, console.redactor().redact(md));
            } catch (UncheckedIOException e) {
                console.warn("could not write " + previewMarkdown + ": " + e.getMessage());
            }
        }
    }

    private void record(String stack, String phase, String status, Instant start, String summary, Object result) {
        report.addPhase(stack, phase, status, Duration.between(start, clock().instant()), summary, result);
        report.putStack(stack, Map.of("phase", phase, "status", status));
    }
}
