package io.datomicgitops.stack;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.report.Json;
import io.datomicgitops.stack.StackResult.StackEventLine;
import io.datomicgitops.testing.replay.RecordingLog;
import io.datomicgitops.testing.replay.ReplayServer;
import io.datomicgitops.testing.replay.TestTime;
import io.datomicgitops.testing.replay.TimedLog;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sequences the sandbox cannot produce (polling while IN_PROGRESS, resource events, rollbacks, change-set replacement
 * details, termination protection on create), tested by replaying recorded AWS API responses from a loopback HTTP
 * server with the real SDK clients pointed at it. The clock only moves when the deployer sleeps.
 */
class StackDeployerReplayTest {
    static String fixture() {
        try (InputStream in = StackDeployerReplayTest.class.getResourceAsStream("/stack/transactor-group.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static StackRequest request() {
        return StackRequest.builder("prod-transactor", fixture())
                .parameter("InstanceType", "t3.large")
                .secretParameter("LicenseKey", "replay-license-0xdeadbeef")
                .timeout(Duration.ofMinutes(30))
                .build();
    }

    @Test
    void replayedUpdateThatRollsBackStreamsEveryEventOnceInOrderAndFailsWithTheCause() {
        TestTime time = TestTime.at("2026-11-29T10:00:00Z");
        RecordingLog log = new RecordingLog();
        try (ReplayServer aws = ReplayServer.start().load("stack-update-rolls-back"); AwsClients clients = aws.clients()) {
            StackDeployer deployer = new StackDeployer(clients, "us-east-1", log, time, time);

            StackFailedException e = catchFailure(() -> deployer.apply(request()));

            assertThat(e.exitCode()).isEqualTo(ExitCode.FAILED);
            assertThat(e.getMessage()).startsWith("stack prod-transactor: the update failed and was rolled back: LaunchGroup UPDATE_FAILED")
                    .contains("You must use a valid fully-formed launch template")
                    .contains("fix the cause named in the failing events");
            StackResult r = e.result();
            assertThat(r.outcome()).isEqualTo(StackOutcome.ROLLED_BACK);
            assertThat(r.stackStatus()).isEqualTo("UPDATE_ROLLBACK_COMPLETE");
            assertThat(r.failures()).extracting(StackEventLine::logicalId, StackEventLine::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("LaunchGroup", "UPDATE_FAILED"));
            assertThat(r.events()).extracting(ev -> ev.logicalId() + " " + ev.status()).containsExactly(
                    "prod-transactor UPDATE_IN_PROGRESS",
                    "LaunchTpl UPDATE_IN_PROGRESS",
                    "LaunchTpl UPDATE_COMPLETE",
                    "LaunchGroup UPDATE_IN_PROGRESS",
                    "LaunchGroup UPDATE_FAILED",
                    "prod-transactor UPDATE_ROLLBACK_IN_PROGRESS",
                    "LaunchGroup UPDATE_IN_PROGRESS",
                    "LaunchGroup UPDATE_COMPLETE",
                    "prod-transactor UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
                    "prod-transactor UPDATE_ROLLBACK_COMPLETE");
            // each event reached the log once, as it appeared, with its time and reason
            List<String> streamed = log.lines().stream().filter(l -> l.startsWith("prod-transactor: ")).toList();
            assertThat(streamed).filteredOn(l -> l.contains("LaunchGroup AWS::AutoScaling::AutoScalingGroup UPDATE_FAILED")).singleElement()
                    .satisfies(l -> assertThat(l).startsWith("prod-transactor: 2026-11-29T10:00:02.988Z LaunchGroup"));
            assertThat(streamed).hasSize(10);
            // and the failing events are listed again at the end, as warnings
            assertThat(log.lines()).filteredOn(l -> l.startsWith("warning: stack prod-transactor: failed: ")).hasSize(1);

            // the change set's replacement details reach the preview and its Markdown
            StackPreview preview = r.preview();
            assertThat(preview.changes()).extracting(StackPreview.ResourceChange::logicalId, StackPreview.ResourceChange::replacement)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("LaunchTpl", "False"),
                            org.assertj.core.groups.Tuple.tuple("LaunchGroup", "Conditional"));
            assertThat(preview.changes().get(1).details()).singleElement().satisfies(d -> {
                assertThat(d.name()).isEqualTo("LaunchTemplate");
                assertThat(d.requiresRecreation()).isEqualTo("Conditionally");
                assertThat(d.causingEntity()).isEqualTo("LaunchTpl.LatestVersionNumber");
            });
            assertThat(ChangeSetMarkdown.render(preview)).contains(
                    "| Modify | LaunchGroup | AWS::AutoScaling::AutoScalingGroup | Conditional | Properties | Properties.LaunchTemplate (recreation Conditionally, Dynamic, ResourceAttribute LaunchTpl.LatestVersionNumber) |");

            // polls started at once (the change set's second look after 1 s, the stack's first look without waiting) and
            // grew; the change set was executed, not deleted; the second events page was read
            assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(1500),
                    Duration.ofMillis(2250));
            assertThat(aws.last("ExecuteChangeSet")).containsEntry("ChangeSetName",
                    "arn:aws:cloudformation:us-east-1:123456789012:changeSet/datomic-gitops-20261129-100000-000/1a2b3c4d-5e6f-4a1b-9c8d-7e6f5a4b3c2d");
            assertThat(aws.count("DeleteChangeSet")).isZero();
            assertThat(aws.calls()).anySatisfy(c -> assertThat(c.params()).containsEntry("NextToken", "events-before-cleanup"));

            // what was sent: every parameter explicitly, the secret too, and nothing secret in the result
            assertThat(aws.last("CreateChangeSet")).containsEntry("ChangeSetType", "UPDATE")
                    .containsEntry("ChangeSetName", "datomic-gitops-20261129-100000-000")
                    .containsValue("GroupSize").containsValue("replay-license-0xdeadbeef");
            assertThat(Json.write(r)).doesNotContain("replay-license-0xdeadbeef");
        }
    }

    @Test
    void replayedUpdateWhoseRollbackFailsSaysHowToContinueIt() {
        TestTime time = TestTime.at("2026-11-29T10:00:00Z");
        try (ReplayServer aws = ReplayServer.start().load("stack-update-rollback-fails"); AwsClients clients = aws.clients()) {
            StackDeployer deployer = new StackDeployer(clients, "us-east-1", new RecordingLog(), time, time);

            StackFailedException e = catchFailure(() -> deployer.apply(request()));

            assertThat(e.result().stackStatus()).isEqualTo("UPDATE_ROLLBACK_FAILED");
            assertThat(e.getMessage()).contains("the update failed and its rollback failed too")
                    .contains("LaunchGroup UPDATE_FAILED").contains("LaunchGroup UPDATE_FAILED (Resource handler returned message")
                    .contains("datomic-gitops update-stack --stack-name prod-transactor --region us-east-1 --continue-rollback")
                    .contains("aws cloudformation continue-update-rollback --stack-name prod-transactor --region us-east-1");
            assertThat(e.result().failures()).hasSize(2);
        }
    }

    @Test
    void replayedContinueRollbackSkipsTheNamedResourcesAndWaitsForRollbackComplete() {
        TestTime time = TestTime.at("2026-11-29T11:00:00Z");
        RecordingLog log = new RecordingLog();
        try (ReplayServer aws = ReplayServer.start().load("stack-continue-rollback"); AwsClients clients = aws.clients()) {
            StackDeployer deployer = new StackDeployer(clients, "us-east-1", log, time, time);

            // an update is refused while the rollback is stuck, with the way out
            assertThatThrownBy(() -> deployer.apply(request())).isInstanceOfSatisfying(ToolException.class, e -> {
                assertThat(e.getMessage()).contains("the stack is UPDATE_ROLLBACK_FAILED and cannot be updated")
                        .contains("--continue-rollback");
            });
            assertThat(aws.count("CreateChangeSet")).isZero();

            StackResult r = deployer.continueRollback("prod-transactor", List.of("LaunchGroup"), Duration.ofMinutes(30));

            assertThat(r.outcome()).isEqualTo(StackOutcome.ROLLBACK_CONTINUED);
            assertThat(r.succeeded()).isTrue();
            assertThat(r.stackStatus()).isEqualTo("UPDATE_ROLLBACK_COMPLETE");
            assertThat(aws.last("ContinueUpdateRollback")).containsEntry("StackName", "prod-transactor")
                    .containsEntry("ResourcesToSkip.member.1", "LaunchGroup");
            assertThat(r.events()).extracting(StackEventLine::status)
                    .containsExactly("UPDATE_ROLLBACK_IN_PROGRESS", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE");
            assertThat(log.text()).contains("can be updated again");
        }
    }

    @Test
    void replayedCreateWaitsThroughCreateInProgressThenTurnsTerminationProtectionOnAndFindsTheGroup() {
        TestTime time = TestTime.at("2026-11-29T12:00:00Z");
        try (ReplayServer aws = ReplayServer.start().load("stack-create"); AwsClients clients = aws.clients()) {
            StackDeployer deployer = new StackDeployer(clients, "us-east-1", new RecordingLog(), time, time);

            StackResult r = deployer.apply(StackRequest.builder("prod-transactor", fixture()).terminationProtection(true).build());

            assertThat(r.outcome()).isEqualTo(StackOutcome.CREATED);
            assertThat(r.operation()).isEqualTo(StackOperation.CREATE);
            assertThat(r.terminationProtection()).isTrue();
            assertThat(r.autoScalingGroup()).isEqualTo("prod-transactor-LaunchGroup-9Z8Y7X6W5V4U");
            assertThat(aws.last("CreateChangeSet")).containsEntry("ChangeSetType", "CREATE");
            assertThat(aws.last("UpdateTerminationProtection")).containsEntry("EnableTerminationProtection", "true");
            assertThat(r.events()).extracting(ev -> ev.logicalId() + " " + ev.status()).containsExactly(
                    "prod-transactor CREATE_IN_PROGRESS", "LaunchTpl CREATE_IN_PROGRESS", "LaunchTpl CREATE_COMPLETE",
                    "LaunchGroup CREATE_IN_PROGRESS", "LaunchGroup CREATE_COMPLETE", "prod-transactor CREATE_COMPLETE");
            assertThat(aws.count("DescribeStacks")).isEqualTo(4); // absent, then polled twice in progress, then complete
        }
    }

    @Test
    void replayedCreateThatRollsBackSaysTheStackMustBeDeletedByHand() {
        TestTime time = TestTime.at("2026-11-29T12:30:00Z");
        try (ReplayServer aws = ReplayServer.start().load("stack-create-rolls-back"); AwsClients clients = aws.clients()) {
            StackDeployer deployer = new StackDeployer(clients, "us-east-1", new RecordingLog(), time, time);

            StackFailedException e = catchFailure(() -> deployer.apply(StackRequest.builder("prod-transactor", fixture()).build()));

            assertThat(e.result().stackStatus()).isEqualTo("ROLLBACK_COMPLETE");
            assertThat(e.getMessage()).contains("the stack could not be created (ROLLBACK_COMPLETE)")
                    .contains("LaunchTpl CREATE_FAILED (Resource handler returned message: \"The image id '[ami-0a1b2c3d4e5f60001]' does not exist\"")
                    .contains("datomic-gitops never deletes a stack")
                    .contains("aws cloudformation delete-stack --stack-name prod-transactor --region us-east-1");
            assertThat(aws.count("DeleteStack")).isZero();
        }
    }

    @Test
    void replayedUpdateStillInProgressAtTheTimeoutEndsWithExitCode7AfterCappedBackoff() {
        TestTime time = TestTime.at("2026-11-29T13:00:00Z");
        try (ReplayServer aws = ReplayServer.start().load("stack-update-hangs"); AwsClients clients = aws.clients()) {
            StackDeployer deployer = new StackDeployer(clients, "us-east-1", new RecordingLog(), time, time);
            StackRequest request = StackRequest.builder("prod-transactor", fixture()).timeout(Duration.ofMinutes(5)).build();

            StackFailedException e = catchFailure(() -> deployer.apply(request));

            assertThat(e.exitCode()).isEqualTo(ExitCode.TIMEOUT);
            assertThat(e.getMessage()).contains("the stack is still UPDATE_IN_PROGRESS after 5m").contains("goes on in AWS");
            assertThat(e.result().outcome()).isEqualTo(StackOutcome.TIMEOUT);
            assertThat(time.sleeps()).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(5)));
            assertThat(time.sleeps().stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(Duration.ofMinutes(5));
            assertThat(time.sleeps()).hasSizeLessThan(70); // backoff to 5 s: about 60 polls in 5 minutes, not a busy loop
        }
    }

    @Test
    void replayedUpdateStillInProgressSaysItsStatusAndTheTimeWaitedAtLeastEvery30s() {
        TestTime time = TestTime.at("2026-11-29T13:00:00Z");
        TimedLog log = new TimedLog(time);
        try (ReplayServer aws = ReplayServer.start().load("stack-update-hangs"); AwsClients clients = aws.clients()) {
            StackDeployer deployer = new StackDeployer(clients, "us-east-1", log, time, time);
            StackRequest request = StackRequest.builder("prod-transactor", fixture()).timeout(Duration.ofMinutes(5)).build();

            catchFailure(() -> deployer.apply(request));

            java.time.Instant executed = log.matching(l -> l.startsWith("stack prod-transactor: executing ")).get(0).at();
            List<TimedLog.Line> waiting = log.matching(l -> l.startsWith("stack prod-transactor: UPDATE_IN_PROGRESS, waiting ("));
            // the first look finds it in progress: said at once, then at least every 30 s of the clock until the timeout
            assertThat(waiting.get(0).at()).isEqualTo(executed);
            assertThat(waiting.get(0).text()).matches("stack prod-transactor: UPDATE_IN_PROGRESS, waiting \\(0s so far, 5m left\\)");
            assertThat(log.longestSilence(executed, time.instant())).isLessThanOrEqualTo(Duration.ofSeconds(30));
            assertThat(waiting).hasSizeBetween(10, 12); // about one per 30 s of the 5 minutes, not one per poll
            assertThat(waiting.get(waiting.size() - 1).text()).matches(".*\\((4m[0-9]+s|5m) so far, [0-9]+s left\\)");
        }
    }

    private static StackFailedException catchFailure(Runnable r) {
        try {
            r.run();
        } catch (StackFailedException e) {
            return e;
        }
        throw new AssertionError("expected a StackFailedException");
    }
}
