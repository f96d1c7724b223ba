package io.datomicgitops.stack;

import io.datomicgitops.ToolException;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.cli.CliRun;
import io.datomicgitops.report.Log;
import io.datomicgitops.testing.Pasted;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import io.datomicgitops.testing.replay.ReplayServer;
import io.datomicgitops.testing.replay.TestTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The commands a stuck, rolled-back, missing or unprotected stack's errors and warnings print, run as printed: the
 * {@code aws} ones by the AWS CLI (v1, which honours AWS_ENDPOINT_URL but not AWS_REGION, so each needs its
 * --region), the {@code datomic-gitops} ones by the runner's CLI in-process. The situations the sandbox cannot
 * produce (a stack in progress, a failed rollback, a rolled-back creation) come from recorded AWS answers, as in
 * {@link StackDeployerReplayTest}; the commands then run against the sandbox where it implements the operation
 * (DescribeStackEvents, DescribeStacks, DeleteStack), else against the recording, which answers the operation the
 * AWS CLI sends (ContinueUpdateRollback, UpdateTerminationProtection: the sandbox answers those with HTTP 500).
 */
@ExtendWith(SandboxExtension.class)
class StackAdviceIT {
    private static final String STACK = "prod-transactor";

    private static final boolean AWS_CLI = Pasted.awsCli();

    private Sandbox sandbox;

    @BeforeEach
    void sandbox(Sandbox sandbox) {
        this.sandbox = sandbox; // reset per class by the extension: each test's stacks are its own, or made idempotently
        assumeTrue(AWS_CLI, "the AWS CLI runs the printed aws commands");
    }

    @Test
    void aStackStillInProgressIsFollowedByThePrintedDescribeStackEvents() {
        sandboxStack(STACK);
        try (ReplayServer aws = ReplayServer.start().load("stack-update-hangs"); AwsClients clients = aws.clients()) {
            StackDeployer deployer = replayed(clients, "2026-11-29T13:00:00Z");
            StackRequest request = StackRequest.builder(STACK, StackDeployerReplayTest.fixture()).timeout(Duration.ofMinutes(5)).build();
            ToolException timedOut = catchThrowableOfType(() -> deployer.apply(request), ToolException.class);
            ToolException busy = catchThrowableOfType(() -> deployer.apply(request), ToolException.class);
            assertThat(timedOut.getMessage()).contains("still UPDATE_IN_PROGRESS after 5m");
            assertThat(busy.getMessage()).contains("the stack is UPDATE_IN_PROGRESS: another operation is running");
            for (ToolException e : List.of(timedOut, busy)) {
                String command = Pasted.command(e.todo(), "aws");
                assertThat(command).isEqualTo("aws cloudformation describe-stack-events --stack-name prod-transactor --region us-east-1");
                Pasted.Shell events = Pasted.run(command, cli(sandbox.endpoint()));
                assertThat(events.exitCode()).as(events.output()).isZero();
                assertThat(events.out()).contains("\"StackName\": \"prod-transactor\"");
            }
        }
        // the same command without --region stops at once, in the very environment the runner worked in
        Pasted.Shell noRegion = Pasted.run("aws cloudformation describe-stack-events --stack-name " + STACK, cli(sandbox.endpoint()));
        assertThat(noRegion.exitCode()).isNotZero();
        assertThat(noRegion.err()).contains("You must specify a region");
    }

    @Test
    void aFailedRollbackIsContinuedByEitherPrintedCommand() {
        try (ReplayServer aws = ReplayServer.start().load("stack-continue-rollback"); AwsClients clients = aws.clients()) {
            StackDeployer deployer = replayed(clients, "2026-11-29T11:00:00Z");
            ToolException refused = catchThrowableOfType(() -> deployer.apply(StackDeployerReplayTest.request()), ToolException.class);
            assertThat(refused.getMessage()).contains("UPDATE_ROLLBACK_FAILED and cannot be updated");

            String ours = Pasted.command(refused.todo(), "datomic-gitops");
            assertThat(ours).isEqualTo("datomic-gitops update-stack --stack-name prod-transactor --region us-east-1 --continue-rollback");
            CliRun continued = CliRun.run(cli(aws.endpoint()), Pasted.arguments(ours).toArray(String[]::new));
            assertThat(continued.exitCode()).as(continued.err()).isZero();
            assertThat(continued.out()).contains("stack prod-transactor: rollback continued to UPDATE_ROLLBACK_COMPLETE");
            assertThat(aws.count("ContinueUpdateRollback")).isEqualTo(1);

            String theirs = Pasted.command(refused.todo(), "aws");
            assertThat(theirs).isEqualTo("aws cloudformation continue-update-rollback --stack-name prod-transactor --region us-east-1");
            Pasted.Shell cli = Pasted.run(theirs, cli(aws.endpoint()));
            assertThat(cli.exitCode()).as(cli.output()).isZero();
            assertThat(aws.count("ContinueUpdateRollback")).isEqualTo(2);
            assertThat(aws.last("ContinueUpdateRollback")).containsEntry("StackName", STACK);
        }
    }

    @Test
    void aProtectedStackWhoseCreationRolledBackIsDeletedByThePrintedCommands() {
        sandboxStack(STACK);
        try (ReplayServer aws = ReplayServer.start().load("stack-rolled-back-protected"); AwsClients clients = aws.clients()) {
            StackDeployer deployer = replayed(clients, "2026-11-29T12:30:00Z");
            ToolException refused = catchThrowableOfType(() -> deployer.apply(StackDeployerReplayTest.request()), ToolException.class);
            assertThat(refused.getMessage()).contains("ROLLBACK_COMPLETE (its creation failed) and cannot be updated");
            List<String> commands = Pasted.commands(refused.todo(), "aws");
            assertThat(commands).containsExactly(
                    "aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name prod-transactor --region us-east-1",
                    "aws cloudformation delete-stack --stack-name prod-transactor --region us-east-1");

            Pasted.Shell off = Pasted.run(commands.get(0), cli(aws.endpoint()));
            assertThat(off.exitCode()).as(off.output()).isZero();
            assertThat(aws.last("UpdateTerminationProtection")).containsEntry("StackName", STACK)
                    .containsEntry("EnableTerminationProtection", "false");

            Pasted.Shell delete = Pasted.run(commands.get(1), cli(sandbox.endpoint()));
            assertThat(delete.exitCode()).as(delete.output()).isZero();
            try (AwsClients real = sandbox.clients()) {
                assertThat(new StackDeployer(real, "us-east-1", Log.NONE, Clock.systemUTC()).describe(STACK)).as("deleted").isEmpty();
            }
        }
    }

    @Test
    void aStackThatIsNotThereGetsTheStacksOfItsRegionListed() {
        sandboxStack("orders-transactor");
        try (AwsClients aws = sandbox.clients()) {
            StackDeployer deployer = new StackDeployer(aws, "us-east-1", Log.NONE, Clock.systemUTC());
            ToolException missing = catchThrowableOfType(() -> deployer.continueRollback("orders-transactr", List.of(), Duration.ofMinutes(1)),
                    ToolException.class);
            assertThat(missing.getMessage()).contains("stack orders-transactr: no such stack in us-east-1");
            String command = Pasted.command(missing.todo(), "aws");
            assertThat(command).isEqualTo("aws cloudformation describe-stacks --region us-east-1 --query 'Stacks[].StackName'");
            Pasted.Shell listed = Pasted.run(command, cli(sandbox.endpoint()));
            assertThat(listed.exitCode()).as(listed.output()).isZero();
            assertThat(listed.out()).contains("\"orders-transactor\"");
        }
    }

    @Test
    void terminationProtectionThatCouldNotBeTurnedOnIsTurnedOnByTheWarningsCommand() {
        // the sandbox answers UpdateTerminationProtection with HTTP 500, so the warning is real; its command then runs
        // against a recording that answers the call as AWS does
        StackResult created;
        try (AwsClients aws = sandbox.clients()) {
            TestTime time = new TestTime(java.time.Instant.now()); // the sandbox settles at once: no real waits between polls
            created = new StackDeployer(aws, "us-east-1", Log.NONE, time, time)
                    .apply(StackRequest.builder("cli-protect", resource("no-parameters.json")).terminationProtection(true).build());
        }
        assertThat(created.terminationProtection()).isFalse();
        String command = Pasted.command(String.join("\n", created.warnings()), "aws");
        assertThat(command).isEqualTo("aws cloudformation update-termination-protection --enable-termination-protection --stack-name cli-protect --region us-east-1");
        try (ReplayServer aws = ReplayServer.start().load("stack-rolled-back-protected")) {
            Pasted.Shell on = Pasted.run(command, cli(aws.endpoint()));
            assertThat(on.exitCode()).as(on.output()).isZero();
            assertThat(aws.last("UpdateTerminationProtection")).containsEntry("StackName", "cli-protect")
                    .containsEntry("EnableTerminationProtection", "true");
        }
    }

    private static StackDeployer replayed(AwsClients clients, String start) {
        TestTime time = TestTime.at(start);
        return new StackDeployer(clients, "us-east-1", Log.NONE, time, time);
    }

    /** A runner's environment as the AWS CLI sees it, pointed at {@code endpoint}. */
    private Map<String, String> cli(URI endpoint) {
        Map<String, String> env = new LinkedHashMap<>(sandbox.env());
        env.put("AWS_ENDPOINT_URL", endpoint.toString());
        return env;
    }

    /** A stack of that name in the sandbox (made unless there is one). */
    private void sandboxStack(String name) {
        try (AwsClients aws = sandbox.clients()) {
            if (new StackDeployer(aws, "us-east-1", Log.NONE, Clock.systemUTC()).describe(name).isPresent()) return;
            aws.cloudFormation(null).createStack(r -> r.stackName(name).templateBody(resource("no-parameters.json")));
        }
    }

    private static String resource(String name) {
        try (InputStream in = StackAdviceIT.class.getResourceAsStream("/stack/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
