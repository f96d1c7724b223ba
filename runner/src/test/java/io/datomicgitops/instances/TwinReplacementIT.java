package io.datomicgitops.instances;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.ExitCode;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.template.TemplateFixtures;
import io.datomicgitops.template.TemplateGenerator;
import io.datomicgitops.testing.AwsCli;
import io.datomicgitops.testing.Twin;
import io.datomicgitops.testing.replay.RecordingLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The replacement strategies on the transactor twin (docs/TWIN.md): instances take a realistic time to boot, each runs
 * a stand-in transactor that follows Datomic's HA (active/standby through a lease in storage, takeover after two
 * missed heartbeats), and a peer probe measures how long writes had no active transactor. Time runs ten times faster
 * than the figures, which are simulated (real-world) seconds: boot 90 s, transactor start 20 s, heartbeat 5 s,
 * metrics once a minute.
 *
 * <p>The twin is this class's own server and each test its own Datomic system, so the tests run side by side, and
 * beside the other integration classes: their time is mostly simulated waiting. A fault for "the next transactor to
 * appear" is the exception: the test that sets one runs alone ({@link #LAUNCHES}).
 */
@Execution(ExecutionMode.CONCURRENT)
class TwinReplacementIT {
    /** Instances launched on the twin: a test that sets a fault for the next one to appear needs them to itself. */
    static final String LAUNCHES = "twin-launches";
    static final String REGION = "us-east-1";
    static final double SCALE = 0.1;
    static final double HEARTBEAT = 5.0;
    static Twin twin;

    @BeforeAll
    static void startTwin() {
        twin = Twin.start(SCALE);
    }

    @AfterAll
    static void stopTwin() {
        if (twin != null) twin.close();
    }

    /** The start-up script the stack's launch template carries (UserDataScript's shape), with the settings given. */
    static String userData(String xmx, String... properties) {
        return userData(xmx, List.of(), properties);
    }

    /** The same, with lines of the template's script after the properties (the secrets it reads at boot). */
    static String userData(String xmx, List<String> afterProperties, String... properties) {
        StringBuilder s = new StringBuilder("#!/bin/bash\nexport XMX='" + xmx + "'\nexport JAVA_OPTS=''\ncd /datomic || exit 1\n"
                + "cat >>aws.properties <<'DATOMIC_PROPERTIES'\n");
        for (String p : properties) s.append(p).append('\n');
        s.append("DATOMIC_PROPERTIES\n");
        for (String line : afterProperties) s.append(line).append('\n');
        s.append("./startup.sh\n");
        return Base64.getEncoder().encodeToString(s.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The lines the project's template writes to read memcached-password from Secrets Manager at boot. */
    static List<String> secretLines(String arn) {
        TemplateFixtures f = TemplateFixtures.named("minimal-ddb");
        PropertiesFile tx = f.tx();
        tx.set("memcached-password", arn);
        List<String> lines = new ArrayList<>();
        TemplateFixtures.tree(new TemplateGenerator().generate(tx, f.cf(), f.options())).at("/Resources/LaunchTemplate/Properties/LaunchTemplateData/UserData/Fn::Base64/Fn::Join/1")
                .forEach(l -> { if (l.isTextual() && l.asText().startsWith("secret_property")) lines.add(l.asText()); });
        assertThat(lines).as("the function and its call").hasSize(2);
        return lines;
    }

    static String[] settings(String system) {
        return new String[] {"protocol=ddb", "host=0.0.0.0", "port=4334", "aws-dynamodb-table=" + system,
                "aws-dynamodb-region=" + REGION, "heartbeat-interval-msec=" + (long) (HEARTBEAT * 1000),
                "aws-cloudwatch-region=" + REGION, "aws-cloudwatch-dimension-value=" + system};
    }

    /**
     * A Datomic system: its storage table, a launch template whose user data carries the transactor settings, a group of
     * {@code size} (max size + 1, as the project's template sets it); waits until its transactors are up (one active,
     * the others standby), then makes a new launch template version the default: every instance is old.
     */
    static List<String> system(AwsClients aws, String system, int size) {
        aws.dynamoDb(REGION).createTable(r -> r.tableName(system).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build()));
        String ud = userData("4g", settings(system));
        String lt = aws.ec2(REGION).createLaunchTemplate(r -> r.launchTemplateName(system + "-lt")
                .launchTemplateData(d -> d.imageId("ami-0a1b2c3d4e5f60001").instanceType("t3.large").userData(ud)))
                .launchTemplate().launchTemplateId();
        aws.autoScaling(REGION).createAutoScalingGroup(r -> r.autoScalingGroupName(system)
                .launchTemplate(t -> t.launchTemplateId(lt).version("$Default"))
                .availabilityZones("us-east-1a", "us-east-1b").minSize(size).maxSize(size + 1).desiredCapacity(size)
                // as the project's template leaves it: AWS's default grace period, 0 (moto's would be 300)
                .healthCheckGracePeriod(0));
        List<String> ids = ids(aws, system);
        twin.await(system + " up", 90 + 20 + 30, s -> Twin.inState(s, "active").stream().filter(ids::contains).count() == 1
                && Twin.inState(s, "standby").stream().filter(ids::contains).count() == size - 1);
        String v = String.valueOf(aws.ec2(REGION).createLaunchTemplateVersion(r -> r.launchTemplateId(lt)
                .launchTemplateData(d -> d.imageId("ami-0a1b2c3d4e5f60001").instanceType("m5.large").userData(ud)))
                .launchTemplateVersion().versionNumber());
        aws.ec2(REGION).modifyLaunchTemplate(r -> r.launchTemplateId(lt).defaultVersion(v));
        return ids;
    }

    static List<String> ids(AwsClients aws, String group) {
        return aws.autoScaling(REGION).describeAutoScalingGroups(r -> r.autoScalingGroupNames(group)).autoScalingGroups().get(0)
                .instances().stream().map(Instance::instanceId).toList();
    }

    static InstanceReplacer replacer(AwsClients aws, RecordingLog log) {
        return new InstanceReplacer(aws, REGION, log, Clock.systemUTC());
    }

    static ReplacementRequest request(String system, Strategy strategy) {
        return ReplacementRequest.of(system, strategy).withHeartbeat(new HeartbeatMetric(REGION, Optional.of(system)))
                .withTimeouts(twin.wall(1800), twin.wall(600));
    }

    /** Waits until one of {@code instances} is the active transactor and the probe has no open outage. */
    static JsonNode settled(String system, List<String> instances, double simulatedSeconds) {
        twin.await(system + " served by a new transactor", simulatedSeconds, s -> Twin.inState(s, "active").stream().anyMatch(instances::contains)
                && twin.probe(system).map(p -> p.path("intervals").findValues("to").stream().noneMatch(JsonNode::isNull)).orElse(false));
        return twin.probe(system).orElseThrow();
    }

    static double at(JsonNode transactor, String state) {
        for (JsonNode h : transactor.path("history")) if (state.equals(h.path("state").asText())) return h.path("at").asDouble();
        throw new AssertionError(transactor.path("instanceId").asText() + " never was " + state + ": " + transactor.toPrettyString());
    }

    static void report(String what, JsonNode probe) {
        System.out.printf("twin: %s: writes unavailable for %.1f s across %d failover(s) (simulated seconds, time scale %s)%n",
                what, probe.path("unavailableSeconds").asDouble(), probe.path("failovers").asInt(), SCALE);
    }

    @Test
    @ResourceLock(value = LAUNCHES, mode = ResourceAccessMode.READ)
    void surgeTerminatesTheOldActiveOnlyAfterTheNewStandbyHeartbeatAndLosesWritesForAtMostTwoHeartbeatsAndASecond() {
        try (AwsClients aws = twin.clients()) {
            List<String> before = system(aws, "twin-surge", 1);
            String oldActive = before.get(0);

            ReplacementResult r = replacer(aws, new RecordingLog()).replace(request("twin-surge", Strategy.SURGE));

            assertThat(r.outcome()).isEqualTo(ReplacementOutcome.REPLACED);
            assertThat(r.replaced()).containsExactly(oldActive);
            assertThat(r.warnings()).isEmpty();
            assertThat(r.readiness()).contains("HeartMonitorMsec");
            JsonNode probe = settled("twin-surge", r.launched(), 60);
            report("surge", probe);
            assertThat(probe.path("unavailableSeconds").asDouble()).isLessThanOrEqualTo(2 * HEARTBEAT + 1);
            assertThat(probe.path("failovers").asInt()).isEqualTo(1);
            // the runner waited for the standby heartbeat: it was published before the old active was terminated
            JsonNode fresh = twin.transactor(r.launched().get(0)).orElseThrow();
            JsonNode old = twin.transactor(oldActive).orElseThrow();
            assertThat(fresh.path("firstPublished").path("HeartMonitorMsec").isNumber()).isTrue();
            assertThat(fresh.path("firstPublished").path("HeartMonitorMsec").asDouble()).isLessThan(at(old, "dead"));
            assertThat(at(fresh, "active")).isGreaterThan(at(old, "dead"));
        }
    }

    @Test
    @ResourceLock(value = LAUNCHES, mode = ResourceAccessMode.READ)
    void terminateLeavesTheSystemWithoutATransactorForAtLeastTheBootOfTheReplacement() {
        try (AwsClients aws = twin.clients()) {
            List<String> before = system(aws, "twin-runbook", 1);

            ReplacementResult r = replacer(aws, new RecordingLog()).replace(request("twin-runbook", Strategy.TERMINATE));

            assertThat(r.replaced()).containsExactlyElementsOf(before);
            JsonNode probe = settled("twin-runbook", r.launched(), 90 + 20 + 30);
            report("terminate", probe);
            double boot = twin.status().path("settings").path("bootSeconds").asDouble();
            assertThat(probe.path("unavailableSeconds").asDouble()).isGreaterThanOrEqualTo(boot);
            assertThat(probe.path("failovers").asInt()).isEqualTo(1);
            // the runner's own figure (wall-clock, from its polls) sees the gap too
            assertThat(r.zeroInServiceSeconds()).isGreaterThan(0.0);
        }
    }

    @Test
    @ResourceLock(value = LAUNCHES, mode = ResourceAccessMode.READ_WRITE)
    void aNewTransactorThatNeverBecomesStandbyStopsTheRollWhileTheOldActiveKeepsServing() {
        try (AwsClients aws = twin.clients()) {
            List<String> before = system(aws, "twin-stuck", 1);
            twin.faultNext(1, Map.of("neverStandby", true));
            RecordingLog log = new RecordingLog();
            // long enough for a healthy transactor to have reported HeartMonitorMsec (boot + start + one minute)
            Duration health = twin.wall(90 + 20 + 60 + 60);

            Throwable thrown = catchThrowable(() -> replacer(aws, log).replace(request("twin-stuck", Strategy.SURGE)
                    .withTimeouts(Duration.ofMinutes(10), health)));
            assertThat(thrown).isInstanceOf(ReplacementFailedException.class);
            ReplacementFailedException failed = (ReplacementFailedException) thrown;
            assertThat(failed).satisfies(e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.TIMEOUT);
                        assertThat(e.result().oldRemaining()).containsExactlyElementsOf(before);
                        assertThat(e.result().launched()).isEmpty();
                    });
            JsonNode status = twin.status();
            String stuck = status.path("transactors").findParents("instanceId").stream()
                    .filter(t -> t.path("faults").path("neverStandby").asBoolean()).findFirst().orElseThrow().path("instanceId").asText();
            assertThat(log.text()).contains(stuck + ": waiting for HeartMonitorMsec");
            // the run names the new instance that never became ready, and why, although it has been removed
            assertThat(failed.getMessage()).contains("no new instance became ready within")
                    .contains(stuck + " InService, but no standby heartbeat (HeartMonitorMsec): its transactor never became standby");
            System.out.println("twin: the runner said: " + failed.getMessage());
            assertThat(ids(aws, "twin-stuck")).containsExactlyElementsOf(before);
            assertThat(Twin.inState(status, "active")).contains(before.get(0));
            assertThat(twin.transactor(stuck).orElseThrow().path("state").asText()).isEqualTo("dead");
            JsonNode probe = twin.probe("twin-stuck").orElseThrow();
            report("surge, new transactor never standby", probe);
            assertThat(probe.path("unavailableSeconds").asDouble()).isZero();
            assertThat(probe.path("failovers").asInt()).isZero();
        }
    }

    @Test
    @ResourceLock(value = LAUNCHES, mode = ResourceAccessMode.READ)
    void anHaPairReplacesTheStandbyFirstThenTheActiveWithExactlyOneFailover() {
        try (AwsClients aws = twin.clients()) {
            List<String> before = system(aws, "twin-ha", 2);
            JsonNode status = twin.status();
            String active = Twin.inState(status, "active").stream().filter(before::contains).findFirst().orElseThrow();
            String standby = before.stream().filter(i -> !i.equals(active)).findFirst().orElseThrow();

            ReplacementResult r = replacer(aws, new RecordingLog()).replace(request("twin-ha", Strategy.SURGE).withActiveInstance(active));

            assertThat(r.replaced()).containsExactly(standby, active);
            JsonNode probe = settled("twin-ha", r.launched(), 60);
            report("surge, HA pair", probe);
            assertThat(probe.path("failovers").asInt()).isEqualTo(1);
            assertThat(probe.path("unavailableSeconds").asDouble()).isLessThanOrEqualTo(2 * HEARTBEAT + 1);
            // the last new instance was taken as ready when InService (another standby was around: the heartbeat cannot
            // tell two standbys apart), so its transactor may still be starting: it joins as standby afterwards
            JsonNode after = twin.await("the last new transactor standby", 60,
                    s -> Twin.inState(s, "standby").stream().anyMatch(r.launched()::contains));
            assertThat(Twin.inState(after, "active").stream().filter(i -> before.contains(i) || r.launched().contains(i)))
                    .singleElement().isIn(r.launched());
            assertThat(Twin.inState(after, "standby").stream().filter(i -> before.contains(i) || r.launched().contains(i)))
                    .singleElement().isIn(r.launched());
        }
    }

    /**
     * Instance refresh knows nothing of Datomic: with no warm-up, AWS terminates the old active as soon as the new
     * instance is InService, while its transactor is still starting, and writes stop for that start-up. With a warm-up
     * that covers the start and a heartbeat, it costs what a surge costs. The runner follows the refresh's own progress.
     */
    @Test
    @ResourceLock(value = LAUNCHES, mode = ResourceAccessMode.READ)
    void instanceRefreshLosesWritesForTheTransactorStartUnlessItsWarmUpCoversIt() {
        try (AwsClients aws = twin.clients()) {
            double start = twin.status().path("settings").path("transactorStartSeconds").asDouble();
            system(aws, "twin-refresh-cold", 1);
            RecordingLog cold = new RecordingLog();
            ReplacementResult r = replacer(aws, cold).replace(request("twin-refresh-cold", Strategy.INSTANCE_REFRESH));
            assertThat(r.outcome()).isEqualTo(ReplacementOutcome.REPLACED);
            assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("no warm-up"));
            assertThat(cold.text()).contains("instance refresh InProgress").contains("instance refresh Successful 100%")
                    .contains("checked: all 1 InService instance(s) run launch template");
            JsonNode coldProbe = settled("twin-refresh-cold", r.launched(), 90);
            report("instance refresh, no warm-up", coldProbe);
            // from the old active's end (the step after the new instance is InService) to the new one's start: the
            // transactor's start-up, less a step or two of the twin's clock; far above what a surge costs
            assertThat(coldProbe.path("unavailableSeconds").asDouble()).isGreaterThanOrEqualTo(start - 1).isGreaterThan(2 * HEARTBEAT + 1);

            system(aws, "twin-refresh-warm", 1);
            ReplacementResult warm = replacer(aws, new RecordingLog()).replace(request("twin-refresh-warm", Strategy.INSTANCE_REFRESH)
                    .withWarmup(twin.wall(start + 2 * HEARTBEAT + 10)));
            JsonNode warmProbe = settled("twin-refresh-warm", warm.launched(), 90);
            report("instance refresh, warm-up " + (start + 2 * HEARTBEAT + 10) + " s", warmProbe);
            assertThat(warmProbe.path("unavailableSeconds").asDouble()).isLessThanOrEqualTo(2 * HEARTBEAT + 1);
            assertThat(warmProbe.path("failovers").asInt()).isEqualTo(1);
        }
    }

    @Test
    @ResourceLock(value = LAUNCHES, mode = ResourceAccessMode.READ)
    void settingsARealTransactorWouldDieOnMeanItNeverStarts() {
        try (AwsClients aws = twin.clients()) {
            aws.dynamoDb(REGION).createTable(r -> r.tableName("twin-bad").billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build()));
            String heap = launch(aws, "t3.small", userData("64g", settings("twin-bad")));
            String table = launch(aws, "t3.large", userData("4g", settings("no-such-table")));
            String[] sql = settings("twin-bad");
            sql[0] = "protocol=sql";
            String protocol = launch(aws, "t3.large", userData("4g", sql));

            twin.await("the three transactors fail", 90 + 10, s -> Twin.inState(s, "failed").containsAll(List.of(heap, table, protocol)));
            assertThat(twin.transactor(heap).orElseThrow().path("reason").asText()).contains("heap -Xmx64g").contains("above the memory of t3.small");
            assertThat(twin.transactor(table).orElseThrow().path("reason").asText()).contains("storage table no-such-table does not exist");
            assertThat(twin.transactor(protocol).orElseThrow().path("reason").asText()).contains("protocol 'sql'");
        }
    }

    /**
     * A stack whose transactor reads a secret at boot: the twin's transactor comes up when the sandbox's Secrets Manager
     * has the secret, and never starts when it does not (the start-up script stops); the twin keeps no value.
     */
    @Test
    @ResourceLock(value = LAUNCHES, mode = ResourceAccessMode.READ)
    void aTransactorReadsItsSecretAtBootAndComesUpOnlyWhenTheSecretIsThere() throws Exception {
        try (AwsClients aws = twin.clients()) {
            aws.dynamoDb(REGION).createTable(r -> r.tableName("twin-secret").billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build()));
            String arn = AwsCli.run(twin.env(), twin.endpoint(), "secretsmanager", "create-secret", "--region", REGION,
                    "--name", "twin-secret/memcached", "--secret-string", "s3cret-never-kept", "--query", "ARN", "--output", "text").strip();
            String readable = launch(aws, "t3.large", userData("4g", secretLines(arn), settings("twin-secret")));
            String missing = launch(aws, "t3.large", userData("4g", secretLines(arn.substring(0, arn.length() - 6) + "Zz9Zz9"),
                    settings("twin-secret")));

            twin.await("the one with its secret up, the other failed", 90 + 20 + 10, s -> Twin.inState(s, "active").contains(readable)
                    && Twin.inState(s, "failed").contains(missing));
            assertThat(twin.transactor(missing).orElseThrow().path("reason").asText())
                    .contains("cannot read memcached-password from Secrets Manager: " + arn.substring(0, arn.length() - 6) + "Zz9Zz9");
            assertThat(twin.status().toString()).doesNotContain("s3cret-never-kept");
        }
    }

    static String launch(AwsClients aws, String type, String userData) {
        return aws.ec2(REGION).runInstances(r -> r.imageId("ami-0a1b2c3d4e5f60001").instanceType(type).minCount(1).maxCount(1)
                .userData(userData)).instances().get(0).instanceId();
    }
}
