package io.datomicgitops.cli;

import io.datomicgitops.deploy.PlanSummary;
import io.datomicgitops.deploy.StackPlan;
import io.datomicgitops.ensure.EnsureResult;
import io.datomicgitops.ensure.ResourceChange;
import io.datomicgitops.instances.Capacity;
import io.datomicgitops.instances.ReplacementPlan;
import io.datomicgitops.instances.ReplacementPlan.InstanceState;
import io.datomicgitops.record.DeploymentRecord;
import io.datomicgitops.stack.StackPreview;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** status's words for what differs, and what it says per instance, from a plan built by hand. */
class StatusCommandTest {
    private static final String LT2 = "launch template lt-0abc version 2";
    private static final String OLD_REASON = "launched from launch template lt-0abc version 1; the group uses " + LT2;
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private static final InstanceState OLD = new InstanceState("i-0old", "m5.large", "InService", "Healthy",
            "launch template lt-0abc version 1", "2026-02-27T09:30:00Z", "10.0.0.5", true, OLD_REASON);
    private static final InstanceState CURRENT = new InstanceState("i-0new", "m5.xlarge", "InService", "Healthy", LT2,
            "2026-03-01T11:18:00Z", "10.0.0.6", false, "current");
    private static final ReplacementPlan GROUP = new ReplacementPlan("demo-LaunchGroup-1", new Capacity(1, 2, 2), LT2,
            List.of(OLD, CURRENT), List.of("i-0old"));

    private static PlanSummary summary(boolean changes, int create, List<String> keys, boolean template, int changeSet,
                                       int toReplace, boolean recordUpToDate, List<String> drift) {
        return new PlanSummary("demo-datomic-transactor", "us-east-1", changes, create, 0, keys, template, template ? 12 : 0, true,
                changeSet, 0, toReplace, "surge", recordUpToDate, drift, 2, List.of());
    }

    private static StackPlan plan(PlanSummary s, EnsureResult tx, StackPreview preview, ReplacementPlan group, boolean launchChanges) {
        return new StackPlan("demo", s, tx, null, "", preview, group, s.drift(), "{}", Optional.empty(), null, Optional.empty(), launchChanges, List.of());
    }

    private static StackPreview preview(List<StackPreview.ResourceChange> changes, List<StackPreview.ParameterValue> parameters) {
        return new StackPreview("demo-datomic-transactor", changes.isEmpty() ? StackPreview.NO_CHANGES : StackPreview.CHANGES, "UPDATE",
                "change-set", "cs", "arn:cs", null, 100, null, List.of(), parameters, changes);
    }

    private static Optional<DeploymentRecord> record(List<String> launched) {
        return Optional.of(DeploymentRecord.builder().stack("demo").stackName("demo-datomic-transactor").region("us-east-1")
                .deployedCommit("1234567890abcdef").configSha256("f00d").launchSource(LT2).instancesLaunched(launched)
                .startedAt("2026-03-01T11:00:00Z").finishedAt("2026-03-01T11:20:00Z").build());
    }

    @Test
    void inSyncHasNoDifferences() {
        PlanSummary s = summary(false, 0, List.of(), false, 0, 0, true, List.of());
        assertThat(StatusCommand.differences(plan(s, null, preview(List.of(), List.of()), GROUP, false), record(List.of()))).isEmpty();
    }

    @Test
    void eachDifferenceIsAShortLine() {
        EnsureResult tx = new EnsureResult("ensure-transactor", "transactor.properties", "native", true, List.of(
                new ResourceChange(ResourceChange.Kind.S3_BUCKET, "demo-logs", ResourceChange.Action.CREATE, "aws-s3-log-bucket-id", List.of(), List.of(), null),
                new ResourceChange(ResourceChange.Kind.IAM_POLICY, "datomic-aws-transactor", ResourceChange.Action.UPDATE, null,
                        List.of(new ResourceChange.Difference("statements", "a", "b")), List.of(), null),
                new ResourceChange(ResourceChange.Kind.IAM_ROLE, "datomic-aws-peer", ResourceChange.Action.UNCHANGED, "aws-peer-role", List.of(), List.of(), null)),
                Map.of("aws-s3-log-bucket-id", "demo-logs"), List.of(), List.of());
        StackPreview preview = preview(List.of(
                        new StackPreview.ResourceChange("Modify", "LaunchTemplate", "lt-0abc", "AWS::EC2::LaunchTemplate", "False", List.of(), List.of()),
                        new StackPreview.ResourceChange("Modify", "LaunchGroup", "demo-LaunchGroup-1", "AWS::AutoScaling::AutoScalingGroup", "True", List.of(), List.of())),
                List.of(new StackPreview.ParameterValue("InstanceType", "m5.xlarge", "m5.large", true, false),
                        new StackPreview.ParameterValue("DatomicVersion", "1.0.7277", "1.0.7277", false, false),
                        new StackPreview.ParameterValue("LicenseKey", "****", null, false, true)));
        PlanSummary s = summary(true, 1, List.of("transactor.properties:aws-s3-log-bucket-id"), true, 2, 1, false,
                List.of("the deployed template of demo-datomic-transactor differs from the committed stacks/demo/cf.json (changed outside the pipeline?)"));

        assertThat(StatusCommand.differences(plan(s, tx, preview, GROUP, false), record(List.of()))).containsExactly(
                "s3-bucket demo-logs: to create",
                "iam-policy datomic-aws-transactor: to update (statements)",
                "keys to write: transactor.properties:aws-s3-log-bucket-id",
                "the template the properties make differs from cf.json (12 diff lines)",
                "stack: 2 change(s): Modify LaunchTemplate, Modify LaunchGroup (replaced)",
                "stack parameter InstanceType: m5.large -> m5.xlarge",
                "instance i-0old to replace (surge): " + OLD_REASON,
                "deployment.json records commit 1234567890, not these files",
                "drift: the deployed template of demo-datomic-transactor differs from the committed stacks/demo/cf.json (changed outside the pipeline?)");
    }

    @Test
    void aNewStackAndAMissingRecordSaySo() {
        PlanSummary s = new PlanSummary("demo-datomic-transactor", "us-east-1", true, 0, 0, List.of(), false, 0, false, 0, 0, 0, "surge",
                false, List.of(), 0, List.of());
        assertThat(StatusCommand.differences(plan(s, null, null, null, false), Optional.empty())).containsExactly(
                "the stack does not exist: apply creates it", "no deployment recorded (deployment.json)");
    }

    @Test
    void whenTheUpdateChangesTheLaunchEveryInstanceIsToReplaceForThatReason() {
        ReplacementPlan all = new ReplacementPlan(GROUP.groupName(), GROUP.capacity(), LT2, List.of(CURRENT), List.of("i-0new"));
        PlanSummary s = summary(true, 0, List.of(), true, 1, 1, false, List.of());
        StackPlan p = plan(s, null, preview(List.of(new StackPreview.ResourceChange("Modify", "LaunchTemplate", "lt-0abc",
                "AWS::EC2::LaunchTemplate", "False", List.of(), List.of())), List.of()), all, true);
        assertThat(StatusCommand.differences(p, record(List.of()))).contains(
                "instance i-0new to replace (surge): the update changes what the transactors launch from");
        assertThat(StatusCommand.instances(all, record(List.of()), "1.0.7277", true, NOW)).singleElement()
                .satisfies(i -> {
                    assertThat(i.current()).isTrue();
                    assertThat(i.toReplace()).isTrue();
                    assertThat(i.datomicVersion()).as("it still runs the deployed stack's version").isEqualTo("1.0.7277");
                    assertThat(i.reason()).isEqualTo("the update at HEAD changes what the transactors launch from");
                });
    }

    @Test
    void perInstanceTypeAgeAndTheVersionOfTheLaunchSourceItRuns() {
        assertThat(StatusCommand.instances(GROUP, record(List.of()), "1.0.7277", false, NOW)).containsExactly(
                new StatusCommand.InstanceStatus("i-0old", "m5.large", "2026-02-27T09:30:00Z", 181_800L, "2d 2h", "unknown", "InService",
                        "Healthy", "10.0.0.5", "launch template lt-0abc version 1", false, true, OLD_REASON),
                new StatusCommand.InstanceStatus("i-0new", "m5.xlarge", "2026-03-01T11:18:00Z", 2_520L, "42m", "1.0.7277", "InService",
                        "Healthy", "10.0.0.6", LT2, true, false, "current"));
        // launched by the last deployment from the group's source: current, whatever its launch tags say
        assertThat(StatusCommand.instances(GROUP, record(List.of("i-0old")), "1.0.7277", false, NOW).get(0))
                .satisfies(i -> {
                    assertThat(i.current()).isTrue();
                    assertThat(i.datomicVersion()).isEqualTo("1.0.7277");
                    assertThat(i.reason()).isEqualTo("launched by the last deployment from " + LT2);
                });
    }

    @Test
    void agesReadAsPeopleSayThem() {
        assertThat(StatusCommand.human(30)).isEqualTo("30s");
        assertThat(StatusCommand.human(42 * 60 + 5)).isEqualTo("42m");
        assertThat(StatusCommand.human(5 * 3600 + 12 * 60)).isEqualTo("5h 12m");
        assertThat(StatusCommand.human(3 * 86400 + 4 * 3600 + 59)).isEqualTo("3d 4h");
        assertThat(StatusCommand.age(null, NOW)).isNull();
        assertThat(StatusCommand.age("2026-03-01T12:00:05Z", NOW)).as("a clock behind EC2's").isZero();
    }

    @Test
    void theConsoleLinesOfAStackOutOfSync() {
        StatusCommand.StackStatus s = new StatusCommand.StackStatus("demo-datomic-transactor", "us-east-1", "UPDATE_COMPLETE",
                "2026-03-01T11:19:00Z", false, "abcdef0123456789", List.of("stack parameter InstanceType: m5.large -> m5.xlarge"),
                "1.0.7277", "demo-LaunchGroup-1", new Capacity(1, 2, 2), LT2,
                StatusCommand.instances(GROUP, record(List.of()), "1.0.7277", false, NOW), record(List.of()).get(), null);
        assertThat(StatusCommand.lines("demo", s)).containsExactly(
                "demo: stack demo-datomic-transactor (us-east-1) UPDATE_COMPLETE, updated 2026-03-01T11:19:00Z, Datomic 1.0.7277",
                "  OUT OF SYNC with HEAD abcdef0123: an apply would change",
                "    - stack parameter InstanceType: m5.large -> m5.xlarge",
                "  group demo-LaunchGroup-1 (min 1, max 2, desired 2), launching from " + LT2,
                "  i-0old m5.large, up 2d 2h, Datomic unknown, InService/Healthy, 10.0.0.5, old: " + OLD_REASON + ", to replace",
                "  i-0new m5.xlarge, up 42m, Datomic 1.0.7277, InService/Healthy, 10.0.0.6",
                "  last deployment: 2026-03-01T11:20:00Z commit 1234567890 approved by -, -, 0 instance(s) replaced (-)");
    }
}
