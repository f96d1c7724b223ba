package io.datomicgitops.cli;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.stack.StackDeployer;
import io.datomicgitops.stack.StackFailedException;
import io.datomicgitops.stack.StackInfo;
import io.datomicgitops.stack.StackRequest;
import io.datomicgitops.stack.StackResult;
import io.datomicgitops.stack.StackTags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Datomic's {@code create-cf-stack REGION NAME JSON}, done safely: a CREATE change set, followed to the end. */
@Command(name = "create-cf-stack", mixinStandardHelpOptions = true,
        description = {"Create the stack NAME in REGION from the template JSON, as bin/datomic create-cf-stack does, but through a"
                + " change set, waiting for it and streaming its events. An existing stack is refused: use update-stack."})
public final class CreateCfStackCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "REGION", description = "AWS region")
    String region;

    @Parameters(index = "1", paramLabel = "NAME", description = "stack name")
    String name;

    @Parameters(index = "2", paramLabel = "JSON", description = "template file (create-cf-template's output)")
    Path json;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30m", description = "how long to wait (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--termination-protection", description = "turn termination protection on once the stack exists")
    boolean terminationProtection;

    @Override
    protected ExitCode execute() {
        String body;
        try {
            body = Files.readString(json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ToolException(ExitCode.INVALID_CONFIG, "cannot read the template: " + e.getMessage(), json.toString(),
                    "pass the file create-cf-template wrote", e);
        }
        // the arguments are checked before any AWS call, each error naming the argument
        AwsOptions.requireKnown(region, ExitCode.USAGE, "REGION");
        io.datomicgitops.stack.StackTemplate.parse(body, json.toString());
        StackDeployer deployer = new StackDeployer(aws(), region, console, clock());
        Optional<StackInfo> existing = deployer.describe(name);
        if (existing.isPresent() && !existing.get().isReviewOnly()) {
            throw new ToolException(ExitCode.FAILED, "the stack already exists (" + existing.get().status() + ")", "stack " + name,
                    "update it with: " + io.datomicgitops.CommandLines.of("datomic-gitops", "update-stack", "--stack-name", name,
                            "--template", json.toAbsolutePath().normalize().toString(), "--region", region));
        }
        StackRequest request = StackRequest.builder(name, body).tags(StackTags.of(Optional.empty(), Optional.empty()))
                .timeout(timeout).terminationProtection(terminationProtection).build();
        Instant start = clock().instant();
        try {
            StackResult r = deployer.apply(request);
            report.addPhase(name, "create-cf-stack", "ok", Duration.between(start, clock().instant()), r.stackStatus(), r);
            console.println("stack " + name + ": " + r.stackStatus() + (r.autoScalingGroup() == null ? "" : ", autoscaling group " + r.autoScalingGroup()));
            return ExitCode.OK;
        } catch (StackFailedException e) {
            report.addPhase(name, "create-cf-stack", e.result().outcome().label(), Duration.between(start, clock().instant()),
                    e.result().stackStatus(), e.result());
            throw e;
        }
    }
}
