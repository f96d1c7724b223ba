package io.datomicgitops.stack;

import io.datomicgitops.wait.Sleeper;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.aws.ApiCallCounter;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.report.Json;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import io.datomicgitops.testing.replay.RecordingLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetSummary;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stack deployer against the sandbox (moto): real SDK clients, real change sets. */
@ExtendWith(SandboxExtension.class)
class StackDeployerIT {
    static final String REGION = "us-east-1";
    /** The sandbox's transitions are instant: poll without real waiting. */
    static final Sleeper NO_WAIT = d -> { };

    static String template(String name) {
        try (InputStream in = StackDeployerIT.class.getResourceAsStream("/stack/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static StackDeployer deployer(AwsClients aws, RecordingLog log) {
        return new StackDeployer(aws, REGION, log, Clock.systemUTC(), NO_WAIT);
    }

    static StackRequest.Builder request(String stack, String type) {
        return StackRequest.builder(stack, template("transactor-group.json"))
                .parameter("InstanceType", type)
                .secretParameter("LicenseKey", "license-" + stack + "-s3cr3t")
                .tags(StackTags.of(java.util.Optional.of("https://ci:tok3n@git.example.com/ops/config.git"), java.util.Optional.of("abc1234")))
                .timeout(Duration.ofMinutes(2));
    }

    /** The stack's change sets (the sandbox lists every stack's, so filter). */
    private static List<ChangeSetSummary> changeSets(AwsClients aws, String stack) {
        return aws.cloudFormation(REGION).listChangeSets(r -> r.stackName(stack)).summaries().stream()
                .filter(s -> s.stackName().equals(stack)).toList();
    }

    @Test
    void createsThenUpdatesThenFindsNothingToChange(Sandbox sandbox) {
        ApiCallCounter counter = new ApiCallCounter();
        try (AwsClients aws = sandbox.clients(counter)) {
            RecordingLog log = new RecordingLog();
            StackDeployer deployer = deployer(aws, log);

            StackResult created = deployer.apply(request("tx-lifecycle", "t3.small").build());
            assertThat(created.outcome()).isEqualTo(StackOutcome.CREATED);
            assertThat(created.stackStatus()).isEqualTo("CREATE_COMPLETE");
            assertThat(created.preview().changeSetType()).isEqualTo("CREATE");
            assertThat(created.preview().changes()).extracting(StackPreview.ResourceChange::logicalId)
                    .containsExactlyInAnyOrder("LaunchTpl", "LaunchGroup");
            assertThat(created.events()).extracting(StackResult.StackEventLine::status).contains("CREATE_IN_PROGRESS", "CREATE_COMPLETE");
            assertThat(log.text()).contains("tx-lifecycle: ").contains("CREATE_COMPLETE");
            String firstGroup = created.autoScalingGroup();
            assertThat(aws.autoScaling(REGION).describeAutoScalingGroups(r -> r.autoScalingGroupNames(firstGroup))
                    .autoScalingGroups()).hasSize(1);

            StackInfo info = deployer.describe("tx-lifecycle").orElseThrow();
            assertThat(info.tags()).containsEntry(StackTags.TOOL, "datomic-gitops")
                    .containsEntry(StackTags.COMMIT, "abc1234")
                    .containsEntry(StackTags.CONFIG_REPO, "https://git.example.com/ops/config.git");

            StackResult updated = deployer.apply(request("tx-lifecycle", "t3.large").build());
            assertThat(updated.outcome()).isEqualTo(StackOutcome.UPDATED);
            assertThat(updated.stackStatus()).isEqualTo("UPDATE_COMPLETE");
            assertThat(updated.preview().parameters()).filteredOn(p -> p.key().equals("InstanceType"))
                    .singleElement().satisfies(p -> {
                        assertThat(p.previous()).isEqualTo("t3.small");
                        assertThat(p.value()).isEqualTo("t3.large");
                        assertThat(p.changed()).isTrue();
                    });
            // the group is read from the stack's resources after the update, whatever its name became
            assertThat(updated.autoScalingGroup()).isEqualTo(deployer.autoScalingGroupName("tx-lifecycle"));
            String launchTemplate = aws.autoScaling(REGION).describeAutoScalingGroups(r -> r.autoScalingGroupNames(updated.autoScalingGroup()))
                    .autoScalingGroups().get(0).launchTemplate().launchTemplateId();
            assertThat(aws.ec2(REGION).describeLaunchTemplateVersions(r -> r.launchTemplateId(launchTemplate).versions("$Latest"))
                    .launchTemplateVersions().get(0).launchTemplateData().instanceTypeAsString()).isEqualTo("t3.large");

            long executesBefore = counter.snapshot().getOrDefault("CloudFormation:ExecuteChangeSet", 0L);
            StackResult again = deployer.apply(request("tx-lifecycle", "t3.large").build());
            assertThat(again.outcome()).isEqualTo(StackOutcome.NO_CHANGES);
            assertThat(again.succeeded()).isTrue();
            assertThat(again.preview().hasChanges()).isFalse();
            assertThat(again.preview().statusReason()).contains("No updates are to be performed");
            assertThat(counter.snapshot().getOrDefault("CloudFormation:ExecuteChangeSet", 0L)).isEqualTo(executesBefore);
            assertThat(again.autoScalingGroup()).isEqualTo(updated.autoScalingGroup());

            // the NoEcho value never reaches the preview, the result's JSON, or the log
            String json = Json.write(again) + Json.write(updated) + Json.write(created);
            assertThat(json).doesNotContain("license-tx-lifecycle-s3cr3t").contains("\"noEcho\": true");
            assertThat(log.text()).doesNotContain("license-tx-lifecycle-s3cr3t");
            assertThat(counter.snapshot()).doesNotContainKey("CloudFormation:DeleteStack");
        }
    }

    @Test
    void nothingToChangeAsAFailedChangeSetIsSuccessAndLeavesNoChangeSet(Sandbox sandbox) {
        try (AwsClients aws = sandbox.clients()) {
            StackDeployer deployer = deployer(aws, new RecordingLog());
            StackRequest request = StackRequest.builder("tx-noparams", template("no-parameters.json")).build();
            assertThat(deployer.apply(request).outcome()).isEqualTo(StackOutcome.CREATED);

            StackResult again = deployer.apply(request);
            assertThat(again.outcome()).isEqualTo(StackOutcome.NO_CHANGES);
            assertThat(again.preview().statusReason()).contains("didn't contain changes");
            assertThat(changeSets(aws, "tx-noparams")).extracting(ChangeSetSummary::changeSetName)
                    .doesNotContain(again.changeSetName());
        }
    }

    @Test
    void planPreviewsAChangeWithoutChangingTheStackOrLeavingAChangeSet(Sandbox sandbox) {
        ApiCallCounter counter = new ApiCallCounter();
        try (AwsClients aws = sandbox.clients(counter)) {
            StackDeployer deployer = deployer(aws, new RecordingLog());
            deployer.apply(request("tx-plan", "t3.small").build());
            String deployed = deployer.deployedTemplate("tx-plan").orElseThrow();
            long mutatingBefore = counter.mutatingTotal();

            String changed = template("transactor-group.json").replace("\"Default\": \"ami-0a1b2c3d4e5f60001\"", "\"Default\": \"ami-0a1b2c3d4e5f60002\"");
            StackPreview preview = deployer.preview(StackRequest.builder("tx-plan", changed)
                    .parameter("InstanceType", "t3.small").secretParameter("LicenseKey", "license-tx-plan-s3cr3t")
                    .tags(request("tx-plan", "t3.small").build().tags()).build());

            assertThat(preview.status()).isEqualTo(StackPreview.CHANGES);
            assertThat(preview.changeSetType()).isEqualTo("UPDATE");
            assertThat(preview.parameters()).filteredOn(p -> p.key().equals("ImageId")).singleElement()
                    .satisfies(p -> assertThat(p.changed()).isTrue());
            assertThat(ChangeSetMarkdown.render(preview)).contains("### Stack `tx-plan`").contains("`ImageId`: `ami-0a1b2c3d4e5f60001` → `ami-0a1b2c3d4e5f60002`");
            assertThat(counter.mutatingTotal()).isEqualTo(mutatingBefore);
            assertThat(counter.snapshot()).containsKeys("CloudFormation:CreateChangeSet", "CloudFormation:DeleteChangeSet");
            assertThat(deployer.describe("tx-plan").orElseThrow().status()).isEqualTo("CREATE_COMPLETE");
            assertThat(deployer.deployedTemplate("tx-plan")).contains(deployed);
            assertThat(changeSets(aws, "tx-plan")).extracting(ChangeSetSummary::changeSetName)
                    .noneMatch(n -> n.startsWith("datomic-gitops-plan-"));
        }
    }

    @Test
    void aStackThatDoesNotExistIsPreviewedFromTheTemplateAlone(Sandbox sandbox) {
        ApiCallCounter counter = new ApiCallCounter();
        try (AwsClients aws = sandbox.clients(counter)) {
            StackDeployer deployer = deployer(aws, new RecordingLog());
            StackPreview preview = deployer.preview(request("tx-new", "t3.small").build());
            assertThat(preview.status()).isEqualTo(StackPreview.NEW_STACK);
            assertThat(preview.source()).isEqualTo("template");
            assertThat(preview.changes()).extracting(c -> c.action() + " " + c.logicalId() + " " + c.resourceType())
                    .containsExactly("Add LaunchTpl AWS::EC2::LaunchTemplate", "Add LaunchGroup AWS::AutoScaling::AutoScalingGroup");
            assertThat(counter.snapshot()).doesNotContainKey("CloudFormation:CreateChangeSet");
            assertThat(counter.mutatingTotal()).isZero();
            assertThat(deployer.describe("tx-new")).isEmpty();
            assertThat(ChangeSetMarkdown.render(preview)).contains("new stack, 2 resource(s) to create");
        }
    }

    @Test
    void aTemplateOverTheInlineLimitGoesThroughS3(Sandbox sandbox) {
        ApiCallCounter counter = new ApiCallCounter();
        try (AwsClients aws = sandbox.clients(counter)) {
            StackDeployer deployer = deployer(aws, new RecordingLog());
            deployer.apply(request("tx-big", "t3.small").build());
            String big = template("transactor-group.json").replaceFirst("\\{", "{\n  \"Metadata\": {\"Padding\": \"" + "x".repeat(60_000) + "\"},");
            assertThat(big.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(StackTemplate.INLINE_LIMIT_BYTES);
            StackRequest bigRequest = StackRequest.builder("tx-big", big).parameter("InstanceType", "t3.medium")
                    .secretParameter("LicenseKey", "k-big").build();

            // a plan never creates the runner's bucket
            assertThatThrownBy(() -> deployer.preview(bigRequest)).isInstanceOf(ToolException.class)
                    .hasMessageContaining("over CloudFormation's 51200-byte inline limit")
                    .hasMessageContaining("datomic-gitops-templates-123456789012-us-east-1 does not exist");
            // a configured bucket must exist
            StackRequest missingBucket = StackRequest.builder("tx-big", big).templateBucket("no-such-bucket-here").build();
            assertThatThrownBy(() -> deployer.apply(missingBucket)).isInstanceOfSatisfying(ToolException.class,
                    e -> assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID_CONFIG));

            StackResult result = deployer.apply(bigRequest);
            assertThat(result.outcome()).isEqualTo(StackOutcome.UPDATED);
            assertThat(result.templateUrl()).startsWith("https://datomic-gitops-templates-123456789012-us-east-1.s3.us-east-1.amazonaws.com/datomic-gitops/tx-big/");
            assertThat(counter.snapshot()).containsKeys("S3:CreateBucket", "S3:PutObject", "S3:PutPublicAccessBlock");
            assertThat(deployer.deployedTemplate("tx-big")).contains(big);
            assertThat(aws.s3(REGION).getPublicAccessBlock(r -> r.bucket("datomic-gitops-templates-123456789012-us-east-1"))
                    .publicAccessBlockConfiguration().blockPublicAcls()).isTrue();

            // now the bucket exists: a plan can preview an oversize template (content-addressed key: same object)
            StackPreview preview = deployer.preview(StackRequest.builder("tx-big", big).parameter("InstanceType", "t3.medium")
                    .secretParameter("LicenseKey", "k-big").build());
            assertThat(preview.templateUrl()).isEqualTo(result.templateUrl());
        }
    }

    @Test
    void terminationProtectionIsKeptAndNeverLowered(Sandbox sandbox) {
        ApiCallCounter counter = new ApiCallCounter();
        try (AwsClients aws = sandbox.clients(counter)) {
            aws.cloudFormation(REGION).createStack(r -> r.stackName("tx-protected").templateBody(template("no-parameters.json"))
                    .enableTerminationProtection(true));
            StackDeployer deployer = deployer(aws, new RecordingLog());
            assertThat(deployer.describe("tx-protected").orElseThrow().terminationProtection()).isTrue();

            String changed = template("no-parameters.json").replace("t3.small", "t3.medium");
            StackResult result = deployer.apply(StackRequest.builder("tx-protected", changed).terminationProtection(false).build());
            assertThat(result.outcome()).isEqualTo(StackOutcome.UPDATED);
            assertThat(result.terminationProtection()).isTrue();
            assertThat(deployer.describe("tx-protected").orElseThrow().terminationProtection()).isTrue();
            assertThat(counter.snapshot()).doesNotContainKeys("CloudFormation:UpdateTerminationProtection", "CloudFormation:DeleteStack");
        }
    }

    @Test
    void anUnknownStackIsAbsentAndNamedInErrors(Sandbox sandbox) {
        try (AwsClients aws = sandbox.clients()) {
            StackDeployer deployer = deployer(aws, new RecordingLog());
            assertThat(deployer.describe("tx-nowhere")).isEmpty();
            assertThat(deployer.deployedTemplate("tx-nowhere")).isEmpty();
            assertThatThrownBy(() -> deployer.autoScalingGroupName("tx-nowhere")).hasMessageContaining("stack tx-nowhere: no such stack");
            assertThatThrownBy(() -> deployer.continueRollback("tx-nowhere", List.of(), Duration.ofMinutes(1)))
                    .hasMessageContaining("no such stack");
        }
    }

    @Test
    void aStackInProgressIsRefused(Sandbox sandbox) {
        try (AwsClients aws = sandbox.clients()) {
            // the sandbox leaves a stack whose creation errored in CREATE_IN_PROGRESS: a stand-in for a running operation
            String broken = "{\"Resources\": {\"G\": {\"Type\": \"AWS::AutoScaling::AutoScalingGroup\", \"Properties\": "
                    + "{\"AvailabilityZones\": [\"us-east-1a\"], \"LaunchConfigurationName\": \"does-not-exist\", \"MinSize\": \"1\", \"MaxSize\": \"1\"}}}}";
            try {
                aws.cloudFormation(REGION).createStack(r -> r.stackName("tx-busy").templateBody(broken));
            } catch (SdkException expected) {
                // the sandbox answers 500 and keeps the stack
            }
            StackDeployer deployer = deployer(aws, new RecordingLog());
            assertThat(deployer.describe("tx-busy").orElseThrow().status()).isEqualTo("CREATE_IN_PROGRESS");
            assertThatThrownBy(() -> deployer.apply(StackRequest.builder("tx-busy", template("no-parameters.json")).build()))
                    .isInstanceOfSatisfying(ToolException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.FAILED);
                        assertThat(e.getMessage()).contains("stack tx-busy: the stack is CREATE_IN_PROGRESS: another operation is running")
                                .contains("wait for it to finish");
                    });
            assertThat(changeSets(aws, "tx-busy")).isEmpty();
        }
    }

    @Test
    void parametersAreCheckedAgainstTheTemplateBeforeAnyCall(Sandbox sandbox) {
        ApiCallCounter counter = new ApiCallCounter();
        try (AwsClients aws = sandbox.clients(counter)) {
            StackDeployer deployer = deployer(aws, new RecordingLog());
            assertThatThrownBy(() -> deployer.apply(StackRequest.builder("tx-params", template("transactor-group.json"))
                    .parameter("InstanceTyp", "t3.small").build()))
                    .isInstanceOfSatisfying(ToolException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID_CONFIG);
                        assertThat(e.getMessage()).contains("parameter InstanceTyp is not declared in the template").contains("InstanceType");
                    });
            assertThat(counter.total()).isZero();
        }
    }
}
