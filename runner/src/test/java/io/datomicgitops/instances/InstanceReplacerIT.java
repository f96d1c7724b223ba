package io.datomicgitops.instances;

import com.sun.net.httpserver.HttpServer;
import io.datomicgitops.ExitCode;
import io.datomicgitops.aws.ApiCallCounter;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.report.Json;
import io.datomicgitops.wait.Sleeper;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import io.datomicgitops.testing.replay.RecordingLog;
import io.datomicgitops.testing.replay.TestTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceType;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Instance replacement against the sandbox (moto): real groups, real launch template versions. The sandbox launches
 * instances at once, so waits end at the first look; the sandbox also records, per instance, the launch template
 * version it was launched with (EC2's aws:ec2launchtemplate:version tag), which is what "old" is decided on.
 */
@ExtendWith(SandboxExtension.class)
class InstanceReplacerIT {
    static final String REGION = "us-east-1";
    static final Sleeper NO_WAIT = d -> { };

    /** A launch template and a group of {@code size} on its default version; returns the template id. */
    static String group(AwsClients aws, String name, int size) {
        String lt = aws.ec2(REGION).createLaunchTemplate(r -> r.launchTemplateName(name + "-lt")
                .launchTemplateData(d -> d.imageId("ami-0a1b2c3d4e5f60001").instanceType(InstanceType.T3_SMALL)))
                .launchTemplate().launchTemplateId();
        aws.autoScaling(REGION).createAutoScalingGroup(r -> r.autoScalingGroupName(name)
                .launchTemplate(t -> t.launchTemplateId(lt).version("$Default"))
                .availabilityZones("us-east-1a", "us-east-1b")
                .minSize(size).maxSize(size).desiredCapacity(size));
        return lt;
    }

    /** A new launch template version made the default: every running instance is now old. */
    static void newVersion(AwsClients aws, String lt) {
        String v = String.valueOf(aws.ec2(REGION).createLaunchTemplateVersion(r -> r.launchTemplateId(lt).sourceVersion("1")
                .launchTemplateData(d -> d.instanceType(InstanceType.T3_LARGE))).launchTemplateVersion().versionNumber());
        aws.ec2(REGION).modifyLaunchTemplate(r -> r.launchTemplateId(lt).defaultVersion(v));
    }

    static AutoScalingGroup describe(AwsClients aws, String name) {
        return aws.autoScaling(REGION).describeAutoScalingGroups(r -> r.autoScalingGroupNames(name)).autoScalingGroups().get(0);
    }

    static List<String> ids(AwsClients aws, String name) {
        return describe(aws, name).instances().stream().map(Instance::instanceId).toList();
    }

    static InstanceReplacer replacer(AwsClients aws, RecordingLog log) {
        return new InstanceReplacer(aws, REGION, log, Clock.systemUTC(), NO_WAIT, new HttpHealthProbe());
    }

    @Test
    void surgeReplacesEachOldInstanceWithoutEverLeavingTheGroupEmptyAndRestoresTheSizes(Sandbox sandbox) {
        ApiCallCounter counter = new ApiCallCounter();
        try (AwsClients aws = sandbox.clients(counter)) {
            String lt = group(aws, "surge-one", 1);
            InstanceReplacer replacer = replacer(aws, new RecordingLog());
            assertThat(replacer.plan("surge-one", false).nothingToReplace()).isTrue();

            newVersion(aws, lt);
            List<String> before = ids(aws, "surge-one");
            ReplacementPlan plan = replacer.plan("surge-one", false);
            assertThat(plan.toReplace()).containsExactlyElementsOf(before);
            assertThat(plan.launchSource()).isEqualTo("launch template " + lt + " version 2");
            assertThat(plan.instances()).singleElement().satisfies(i -> assertThat(i.reason())
                    .isEqualTo("launched from launch template " + lt + " version 1; the group uses launch template " + lt + " version 2"));

            ReplacementResult r = replacer.replace(ReplacementRequest.of("surge-one", Strategy.SURGE));

            assertThat(r.outcome()).isEqualTo(ReplacementOutcome.REPLACED);
            assertThat(r.replaced()).containsExactlyElementsOf(before);
            assertThat(r.launched()).hasSize(1).doesNotContainAnyElementsOf(before);
            assertThat(r.oldRemaining()).isEmpty();
            assertThat(r.zeroInServiceSeconds()).isZero();
            assertThat(r.capacityBefore()).isEqualTo(new Capacity(1, 1, 1));
            assertThat(r.capacityAfter()).isEqualTo(new Capacity(1, 1, 1));
            AutoScalingGroup after = describe(aws, "surge-one");
            assertThat(after.instances()).extracting(Instance::instanceId).containsExactlyElementsOf(r.launched());
            assertThat(after.suspendedProcesses()).isEmpty();
            assertThat(r.timeline()).extracting(ReplacementResult.TimelineEntry::event).containsSubsequence(
                    "max size 2", "desired capacity 2", "new instance " + r.launched().get(0) + " is ready",
                    "terminate " + before.get(0) + " (capacity decremented)", "max size 1");
            // the new instance runs the group's configuration: nothing is left to replace
            assertThat(replacer.plan("surge-one", false).nothingToReplace()).isTrue();
            assertThat(Json.write(r)).contains("\"zeroInServiceSeconds\": 0.0");
        }
    }

    @Test
    void surgeInAnHaPairReplacesTheStandbyFirstAndTheActiveLast(Sandbox sandbox) {
        try (AwsClients aws = sandbox.clients()) {
            String lt = group(aws, "surge-ha", 2);
            newVersion(aws, lt);
            List<String> before = ids(aws, "surge-ha");
            String active = before.get(0);
            String standby = before.get(1);

            ReplacementResult r = replacer(aws, new RecordingLog()).replace(ReplacementRequest.of("surge-ha", Strategy.SURGE)
                    .withActiveInstance(active));

            assertThat(r.replaced()).containsExactly(standby, active);
            assertThat(r.launched()).hasSize(2);
            assertThat(r.zeroInServiceSeconds()).isZero();
            assertThat(r.capacityAfter()).isEqualTo(new Capacity(2, 2, 2));
            assertThat(ids(aws, "surge-ha")).containsExactlyInAnyOrderElementsOf(r.launched());
            assertThat(r.timeline()).extracting(ReplacementResult.TimelineEntry::event).containsSubsequence(
                    "max size 3", "desired capacity 3", "terminate " + standby + " (capacity decremented)",
                    "desired capacity 3", "terminate " + active + " (capacity decremented)", "max size 2");
        }
    }

    @Test
    void terminateReplacesLikeTheRunbookAndKeepsTheCapacity(Sandbox sandbox) {
        try (AwsClients aws = sandbox.clients()) {
            String lt = group(aws, "runbook", 1);
            newVersion(aws, lt);
            List<String> before = ids(aws, "runbook");

            ReplacementResult r = replacer(aws, new RecordingLog()).replace(ReplacementRequest.of("runbook", Strategy.TERMINATE));

            assertThat(r.replaced()).containsExactlyElementsOf(before);
            assertThat(r.launched()).hasSize(1);
            assertThat(ids(aws, "runbook")).containsExactlyElementsOf(r.launched());
            assertThat(r.capacityAfter()).isEqualTo(r.capacityBefore());
            assertThat(r.timeline()).extracting(ReplacementResult.TimelineEntry::event)
                    .contains("terminate " + before.get(0) + " (the group replaces it)")
                    .noneMatch(e -> e.startsWith("desired capacity") || e.startsWith("max size"));
            // the sandbox replaces at once; on AWS this figure is the new instance's boot time
            assertThat(r.zeroInServiceSeconds()).isZero();
        }
    }

    @Test
    void allReplacesCurrentInstancesAndOnlyInstancesLimitsTheCandidates(Sandbox sandbox) {
        try (AwsClients aws = sandbox.clients()) {
            group(aws, "forced", 2);
            List<String> before = ids(aws, "forced");
            InstanceReplacer replacer = replacer(aws, new RecordingLog());
            assertThat(replacer.plan("forced", false).nothingToReplace()).isTrue();
            assertThat(replacer.plan("forced", true).toReplace()).containsExactlyInAnyOrderElementsOf(before);

            ReplacementResult one = replacer.replace(ReplacementRequest.of("forced", Strategy.SURGE).withAll(true)
                    .withOnlyInstances(Set.of(before.get(1))));
            assertThat(one.replaced()).containsExactly(before.get(1));
            assertThat(ids(aws, "forced")).contains(before.get(0)).doesNotContain(before.get(1)).hasSize(2);

            ReplacementResult all = replacer.replace(ReplacementRequest.of("forced", Strategy.SURGE).withAll(true));
            assertThat(all.replaced()).hasSize(2);
            assertThat(ids(aws, "forced")).doesNotContainAnyElementsOf(before).doesNotContainAnyElementsOf(one.launched());
        }
    }

    @Test
    void anEmptyGroupHasNothingToReplace(Sandbox sandbox) {
        ApiCallCounter counter = new ApiCallCounter();
        try (AwsClients aws = sandbox.clients(counter)) {
            group(aws, "empty", 0);
            long mutating = counter.mutatingTotal();
            ReplacementResult r = replacer(aws, new RecordingLog()).replace(ReplacementRequest.of("empty", Strategy.SURGE).withAll(true));
            assertThat(r.outcome()).isEqualTo(ReplacementOutcome.NOTHING_TO_REPLACE);
            assertThat(r.replaced()).isEmpty();
            assertThat(counter.mutatingTotal()).isEqualTo(mutating);
        }
    }

    @Test
    void anUnknownGroupIsNamedInTheError(Sandbox sandbox) {
        try (AwsClients aws = sandbox.clients()) {
            assertThatThrownBy(() -> replacer(aws, new RecordingLog()).plan("no-such-group", false))
                    .hasMessageContaining("group no-such-group: no such autoscaling group");
        }
    }

    @Test
    void instanceRefreshWhereTheApiIsMissingNamesTheStrategiesThatWorkAndRestoresTheMaxSize(Sandbox sandbox) {
        try (AwsClients aws = sandbox.clients()) {
            String lt = group(aws, "refresh", 1);
            newVersion(aws, lt);
            List<String> before = ids(aws, "refresh");

            assertThatThrownBy(() -> replacer(aws, new RecordingLog()).replace(ReplacementRequest.of("refresh", Strategy.INSTANCE_REFRESH)))
                    .isInstanceOfSatisfying(ReplacementFailedException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.FAILED);
                        assertThat(e.getMessage()).contains("instance refresh is not available here: StartInstanceRefresh answered HTTP 500")
                                .contains("replace-strategy=surge (the default) or terminate in deploy.properties");
                        assertThat(e.result().capacityAfter()).isEqualTo(new Capacity(1, 1, 1));
                        assertThat(e.result().oldRemaining()).containsExactlyElementsOf(before);
                    });
            assertThat(describe(aws, "refresh").maxSize()).isEqualTo(1);
        }
    }

    @Test
    void aReachableHealthEndpointMustAnswerBeforeTheOldInstanceGoes(Sandbox sandbox) throws IOException {
        AtomicInteger asked = new AtomicInteger();
        HttpServer health = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        // answers 503 until asked three times (the transactor is starting), then 204 as Datomic does
        health.createContext("/health", ex -> {
            ex.sendResponseHeaders(asked.incrementAndGet() < 4 ? 503 : 204, -1);
            ex.close();
        });
        health.start();
        try (AwsClients aws = sandbox.clients()) {
            String lt = group(aws, "pinged", 1);
            newVersion(aws, lt);
            TestTime time = new TestTime(Instant.now());
            RecordingLog log = new RecordingLog();
            // every instance is dialled on loopback, where the endpoint stands in for the transactors
            InstanceReplacer replacer = new InstanceReplacer(aws, REGION, log, time, time, new HttpHealthProbe(ip -> "127.0.0.1"));

            ReplacementResult r = replacer.replace(ReplacementRequest.of("pinged", Strategy.SURGE)
                    .withEndpoint(new HealthEndpoint("0.0.0.0", health.getAddress().getPort())));

            assertThat(r.outcome()).isEqualTo(ReplacementOutcome.REPLACED);
            assertThat(asked.get()).isEqualTo(4);
            assertThat(log.text()).contains("waiting for its health endpoint").contains("answers GET /health");
            assertThat(r.readiness()).contains("GET /health on port " + health.getAddress().getPort());
            assertThat(time.sleeps()).hasSize(2);
        } finally {
            health.stop(0);
        }
    }

    @Test
    void anEndpointThatDoesNotAnswerFromHereIsLeftOutWithAWarning(Sandbox sandbox) {
        try (AwsClients aws = sandbox.clients()) {
            String lt = group(aws, "unreachable", 1);
            newVersion(aws, lt);
            RecordingLog log = new RecordingLog();
            // the sandbox's private addresses (10.x) are not routable here: nothing answers
            InstanceReplacer replacer = new InstanceReplacer(aws, REGION, log, Clock.systemUTC(), NO_WAIT,
                    new HttpHealthProbe(ip -> "127.0.0.1"));
            ReplacementResult r = replacer.replace(ReplacementRequest.of("unreachable", Strategy.SURGE)
                    .withEndpoint(new HealthEndpoint("0.0.0.0", 9)));
            assertThat(r.outcome()).isEqualTo(ReplacementOutcome.REPLACED);
            assertThat(r.warnings()).singleElement().asString().contains("does not answer from here");
            assertThat(r.readiness()).isEqualTo("group InService+Healthy");
        }
    }

    @Test
    void aHeartbeatMetricThatCannotBeReadIsDroppedWithAWarning(Sandbox sandbox) {
        try (AwsClients aws = sandbox.clients()) {
            String lt = group(aws, "heartbeat", 1);
            newVersion(aws, lt);
            RecordingLog log = new RecordingLog();
            // the sandbox does not speak the SDK's CloudWatch protocol (RPC v2 CBOR), so reading the metric fails, as
            // it would on AWS without cloudwatch:ListMetrics; waiting for the heartbeat is tested on replayed answers
            ReplacementResult r = replacer(aws, log).replace(ReplacementRequest.of("heartbeat", Strategy.SURGE)
                    .withHeartbeat(new HeartbeatMetric(REGION, Optional.of("heartbeat-system"))));

            assertThat(r.outcome()).isEqualTo(ReplacementOutcome.REPLACED);
            assertThat(r.warnings()).singleElement().asString().startsWith("cannot read HeartMonitorMsec (")
                    .endsWith("readiness relies on the group's health");
            assertThat(r.readiness()).isEqualTo("group InService+Healthy");
            assertThat(log.text()).contains("warning: cannot read HeartMonitorMsec");
        }
    }

    @Test
    void aNewInstanceThatNeverBecomesReadyIsRemovedAndTheGroupRestored(Sandbox sandbox) throws IOException {
        HttpServer health = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        // reachable, but the new transactor never becomes healthy
        health.createContext("/health", ex -> {
            ex.sendResponseHeaders(503, -1);
            ex.close();
        });
        health.start();
        try (AwsClients aws = sandbox.clients()) {
            String lt = group(aws, "never-ready", 1);
            newVersion(aws, lt);
            List<String> before = ids(aws, "never-ready");
            TestTime time = new TestTime(Instant.now());
            InstanceReplacer replacer = new InstanceReplacer(aws, REGION, new RecordingLog(), time, time, new HttpHealthProbe(ip -> "127.0.0.1"));

            assertThatThrownBy(() -> replacer.replace(ReplacementRequest.of("never-ready", Strategy.SURGE)
                    .withEndpoint(new HealthEndpoint("0.0.0.0", health.getAddress().getPort()))
                    .withTimeouts(Duration.ofMinutes(20), Duration.ofMinutes(2))))
                    .isInstanceOfSatisfying(ReplacementFailedException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.TIMEOUT);
                        assertThat(e.getMessage()).contains("no new instance became ready within 120s")
                                .contains("old still running " + before).contains("capacity now min 1, max 1, desired 1");
                        assertThat(e.result().outcome()).isEqualTo(ReplacementOutcome.TIMEOUT);
                        assertThat(e.result().launched()).isEmpty();
                        assertThat(e.result().oldRemaining()).containsExactlyElementsOf(before);
                    });
            AutoScalingGroup after = describe(aws, "never-ready");
            assertThat(after.instances()).extracting(Instance::instanceId).containsExactlyElementsOf(before);
            assertThat(after.desiredCapacity()).isEqualTo(1);
            assertThat(after.maxSize()).isEqualTo(1);
            assertThat(after.suspendedProcesses()).isEmpty();
            assertThat(time.sleeps().stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(Duration.ofMinutes(2));
        } finally {
            health.stop(0);
        }
    }
}
