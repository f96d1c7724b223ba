package io.datomicgitops.guard;

import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.cli.CliRun;
import io.datomicgitops.testing.ConfigRepoFixture;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudformation.model.TemplateStage;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alarm-guarded apply through the GitOps flow on the sandbox. The sandbox keeps alarms but runs neither them nor
 * CloudFormation's rollback triggers, so the guard's own watch is what these tests prove: an alarm set to ALARM (by
 * SetAlarmState, as CloudWatch would) once the new transactor has replaced the old one rolls the stack back to the
 * previous template and the transactors back to it, and fails the run naming the alarm; a guard that stays OK lets
 * the deployment stand.
 */
@ExtendWith(SandboxExtension.class)
class AlarmGuardFlowIT {
    private static final String CF = "stacks/demo/cf.properties";
    private static final String DEPLOY = "stacks/demo/deploy.properties";
    private static final String STACK = "demo-datomic-transactor";
    private static final String REGION = "us-east-1";
    private static final String HEARTBEAT_ALARM = STACK + "-datomic-heartbeat-missing";

    @TempDir
    Path tmp;
    Sandbox sandbox;

    @BeforeEach
    void reset(Sandbox sandbox) {
        this.sandbox = sandbox;
        sandbox.reset();
    }

    /** The example repo deployed once (a first deployment is not guarded), with the guard's keys. */
    private ConfigRepoFixture deployedWithGuard(String guardKeys) {
        ConfigRepoFixture repo;
        try {
            repo = ConfigRepoFixture.create(tmp.resolve("repo"), sandbox);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        repo.push(Map.of(DEPLOY, repo.remoteFile(DEPLOY) + guardKeys), "guard the deployments");
        assertThat(repo.checkout().exitCode()).isZero();
        CliRun first = repo.run("apply", "--dir", repo.clone.toString(), "--approved-by", "alice", "--report", tmp.resolve("first.json").toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("guard: the stack's first deployment has no previous one to return to");
        return repo;
    }

    /** A bigger instance type, replaced by surge: the change the guard watches. */
    private static void biggerInstancesBySurge(ConfigRepoFixture repo) {
        repo.push(Map.of(CF, repo.remoteFile(CF).replace("aws-instance-type=m5.large", "aws-instance-type=m5.xlarge"),
                DEPLOY, repo.remoteFile(DEPLOY).replace("replace-strategy=terminate", "replace-strategy=surge")), "m5.xlarge, surge");
        assertThat(repo.checkout().exitCode()).isZero();
    }

    private static String deployedTemplate(AwsClients aws) {
        return aws.cloudFormation(REGION).getTemplate(r -> r.stackName(STACK).templateStage(TemplateStage.ORIGINAL)).templateBody();
    }

    private static String group(AwsClients aws) {
        return aws.cloudFormation(REGION).describeStackResources(r -> r.stackName(STACK)).stackResources().stream()
                .filter(r -> r.resourceType().equals("AWS::AutoScaling::AutoScalingGroup")).findFirst().orElseThrow().physicalResourceId();
    }

    private static List<String> instances(AwsClients aws, String group) {
        return aws.autoScaling(REGION).describeAutoScalingGroups(r -> r.autoScalingGroupNames(group)).autoScalingGroups().get(0)
                .instances().stream().map(i -> i.instanceId()).toList();
    }

    @Test
    void anAlarmDuringTheBakeRollsTheStackAndTheTransactorsBackAndFailsNamingIt() throws Exception {
        ConfigRepoFixture repo = deployedWithGuard("guard-standard-alarms=true\nguard-bake=20s\n");
        String previousTemplate = repo.remoteFile("stacks/demo/cf.json");
        biggerInstancesBySurge(repo);
        try (AwsClients aws = sandbox.clients()) {
            assertThat(deployedTemplate(aws)).isEqualTo(previousTemplate);
            String group = group(aws);
            List<String> before = instances(aws, group);

            // CloudWatch's part: once the new transactor has replaced the old one, its heartbeat goes missing
            AtomicBoolean applied = new AtomicBoolean();
            CompletableFuture<List<String>> alarmed = CompletableFuture.supplyAsync(() -> {
                while (!applied.get()) {
                    List<String> now = instances(aws, group);
                    if (!now.isEmpty() && now.stream().noneMatch(before::contains)) {
                        aws.cloudWatch(REGION).setAlarmState(r -> r.alarmName(HEARTBEAT_ALARM).stateValue(StateValue.ALARM)
                                .stateReason("Threshold Crossed: no datapoints were received for 3 periods"));
                        return now;
                    }
                    sleep(200);
                }
                return List.<String>of();
            });
            CliRun apply = repo.run("apply", "--dir", repo.clone.toString(), "--approved-by", "bob", "--report", tmp.resolve("apply.json").toString());
            applied.set(true);
            List<String> launchedByTheBadDeployment = alarmed.get(10, TimeUnit.SECONDS);

            assertThat(launchedByTheBadDeployment).as("the new transactor replaced the old one: %s", apply.err()).isNotEmpty();
            assertThat(apply.exitCode()).as(apply.out() + apply.err()).isEqualTo(1);
            assertThat(apply.err()).contains("alarm " + HEARTBEAT_ALARM + " went to ALARM during the bake",
                    "no datapoints were received for 3 periods", "rolled back: stack " + STACK + " back to cf.json of ",
                    "1 instance(s) replaced by surge");
            assertThat(deployedTemplate(aws)).as("the stack runs the previous template again").isEqualTo(previousTemplate);
            assertThat(instances(aws, group)).as("the transactors launched by the bad deployment are replaced again")
                    .hasSize(1).doesNotContainAnyElementsOf(launchedByTheBadDeployment).doesNotContainAnyElementsOf(before);
            // and git says so: the files return to what the stack runs, in one commit of the tool's, and the failure is tagged
            assertThat(repo.remoteFile("stacks/demo/cf.json")).as("git's cf.json is what the stack runs").isEqualTo(previousTemplate);
            assertThat(repo.remoteFile("stacks/demo/cf.properties")).contains("aws-instance-type=m5.large").doesNotContain("m5.xlarge");
            String message = repo.remoteLog().get(0).getFullMessage();
            assertThat(message).contains("Phase: rollback", "Result: rolled-back", "alarm " + HEARTBEAT_ALARM + " went to ALARM during the bake");
            assertThat(repo.remoteTags()).anyMatch(t -> t.matches("refs/tags/deploy/demo/\\d{8}T\\d{6}Z-failed"));
            String arn = aws.cloudWatch(REGION).describeAlarms(r -> r.alarmNames(HEARTBEAT_ALARM)).metricAlarms().get(0).alarmArn();
            assertThat(aws.cloudWatch(REGION).listTagsForResource(r -> r.resourceARN(arn)).tags())
                    .anySatisfy(t -> assertThat(t.key() + "=" + t.value()).isEqualTo("datomic-gitops:system=" + STACK));
        }
    }

    @Test
    void theGuardShowsInThePlanAndAGuardThatStaysOkLetsTheDeploymentStand() throws Exception {
        String own;
        try (AwsClients aws = sandbox.clients()) {
            aws.cloudWatch(REGION).putMetricAlarm(r -> r.alarmName("demo-errors").namespace("Demo").metricName("Errors")
                    .statistic("Sum").period(60).evaluationPeriods(1).threshold(0.0).comparisonOperator("GreaterThanThreshold"));
            own = aws.cloudWatch(REGION).describeAlarms(r -> r.alarmNames("demo-errors")).metricAlarms().get(0).alarmArn();
        }
        ConfigRepoFixture repo = deployedWithGuard("guard-alarms=" + own + "\nguard-standard-alarms=true\nguard-bake=3s\nguard-monitoring=2m\n");
        biggerInstancesBySurge(repo);
        Path planMd = tmp.resolve("plan.md");
        CliRun plan = repo.run("plan", "--dir", repo.clone.toString(), "--report", tmp.resolve("plan.json").toString(), "--plan-md", planMd.toString());
        assertThat(plan.exitCode()).as(plan.err()).isEqualTo(2);
        assertThat(Files.readString(planMd)).contains("### Guard", "Alarms: `" + own + "`, `" + STACK + "-datomic-alarm` (standard: Alarm > 0), `"
                + HEARTBEAT_ALARM + "` (standard: HeartbeatMsec missing for 3 min).", "(monitoring 2m)", "watches them for 3s (bake)");

        CliRun apply = repo.run("apply", "--dir", repo.clone.toString(), "--approved-by", "bob", "--report", tmp.resolve("apply.json").toString());
        assertThat(apply.exitCode()).as(apply.err()).isZero();
        assertThat(apply.out()).contains("guard: the stack update carries 3 rollback trigger(s), monitoring 2m",
                "guard: no alarm in 3s: the deployment stays");
        try (AwsClients aws = sandbox.clients()) {
            assertThat(deployedTemplate(aws)).isEqualTo(repo.remoteFile("stacks/demo/cf.json")).contains("m5.xlarge");
            assertThat(aws.cloudWatch(REGION).describeAlarms(r -> r.alarmNames(STACK + "-datomic-alarm", HEARTBEAT_ALARM)).metricAlarms())
                    .extracting(a -> a.metricName() + " " + a.dimensions().get(0).name() + "=" + a.dimensions().get(0).value() + " " + a.treatMissingData())
                    .containsExactlyInAnyOrder("Alarm Transactor=demo-datomic notBreaching", "HeartbeatMsec Transactor=demo-datomic breaching");
        }
        assertThat(apply.out()).contains("guard: created alarm " + HEARTBEAT_ALARM);

        // the next guarded deployment finds the standard alarms as they should be: nothing written
        String tx = "stacks/demo/transactor.properties";
        repo.push(Map.of(tx, repo.remoteFile(tx).replace("object-cache-max=1g", "object-cache-max=2g")), "bigger object cache");
        assertThat(repo.checkout().exitCode()).isZero();
        CliRun next = repo.run("apply", "--dir", repo.clone.toString(), "--approved-by", "bob", "--report", tmp.resolve("next.json").toString());
        assertThat(next.exitCode()).as(next.err()).isZero();
        assertThat(next.out()).contains("guard: no alarm in 3s").doesNotContain("guard: created alarm", "guard: updated alarm");
    }

    @Test
    void aGuardThatCannotWorkStopsThePlanAndTheApplyBeforeAnyChange() throws Exception {
        ConfigRepoFixture repo = ConfigRepoFixture.create(tmp.resolve("repo"), sandbox);
        String tx = "stacks/demo/transactor.properties";
        repo.push(Map.of(DEPLOY, repo.remoteFile(DEPLOY) + "guard-standard-alarms=true\n",
                tx, repo.remoteFile(tx).replace("aws-cloudwatch-dimension-value=demo-datomic\n", "")), "guard without the metrics");
        assertThat(repo.checkout().exitCode()).isZero();
        for (String command : List.of("plan", "apply")) {
            CliRun run = repo.run(command, "--dir", repo.clone.toString(), "--report", tmp.resolve(command + ".json").toString());
            assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
            assertThat(run.err()).contains("deploy.properties:", "guard-standard-alarms=true watches the transactor's CloudWatch metrics");
        }
        assertThat(repo.remoteLog()).as("nothing committed").hasSize(2);

        // an alarm named in guard-alarms that does not exist: found by the plan, so the apply changes nothing either
        repo.push(Map.of(DEPLOY, repo.remoteFile(DEPLOY).replace("guard-standard-alarms=true\n", "guard-alarms=demo-typo\n")), "a typo");
        assertThat(repo.checkout().exitCode()).isZero();
        for (String command : List.of("plan", "apply")) {
            CliRun run = repo.run(command, "--dir", repo.clone.toString(), "--report", tmp.resolve(command + "-typo.json").toString());
            assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
            assertThat(run.err()).contains("deploy.properties:", "no alarm demo-typo in us-east-1", "correct guard-alarms");
        }
        assertThat(repo.remoteLog()).as("nothing committed").hasSize(3);
        try (AwsClients aws = sandbox.clients()) {
            assertThat(aws.cloudFormation(REGION).listStacks().stackSummaries()).isEmpty();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
