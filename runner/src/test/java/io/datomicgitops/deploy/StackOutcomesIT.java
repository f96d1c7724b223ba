package io.datomicgitops.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.cli.CliRun;
import io.datomicgitops.lock.StackLock;
import io.datomicgitops.report.Json;
import io.datomicgitops.report.Log;
import io.datomicgitops.testing.ConfigRepoFixture;
import io.datomicgitops.testing.Pasted;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An apply of several stacks that stops at one: every stack's outcome on the console and in report.json, the failed
 * stack named in the error, and the error's advice (here: force-unlock a dead holder's lock) working when pasted.
 */
@ExtendWith(SandboxExtension.class)
class StackOutcomesIT {
    private static final String LOCKS = "datomic-gitops-locks";

    @TempDir
    Path tmp;

    @Test
    void aStackThatFailsIsNamedAfterEveryStacksOutcomeAndItsPrintedForceUnlockLetsTheNextApplyProceed(Sandbox sandbox) throws Exception {
        // stacks/demo, stacks/held and stacks/next, applied in that order; the folders are not the stacks' names
        ConfigRepoFixture repo = ConfigRepoFixture.create(tmp, sandbox, "held", "next");
        Path clone = tmp.resolve("ops clone"); // a path that needs quoting when pasted
        CliRun checkout = repo.run("checkout", "--repo", repo.url(), "--dir", clone.toString(), "--report", tmp.resolve("checkout.json").toString());
        assertThat(checkout.exitCode()).as(checkout.err()).isZero();
        String deadLockId = "5e0d1c2b-dead-4f00-9a1b-held00000001";
        holdAsADeadAgentWould(sandbox, "held-datomic-transactor", deadLockId);

        Path report = tmp.resolve("apply-1.json");
        CliRun first = repo.run("apply", "--dir", clone.toString(), "--approved-by", "alice", "--report", report.toString());

        assertThat(first.exitCode()).as(first.err()).isEqualTo(6);
        List<String> err = first.err().lines().filter(l -> !l.startsWith("warning: ")).toList();
        assertThat(err).hasSize(4);
        assertThat(err.get(0)).startsWith("demo: demo-datomic-transactor CREATE_COMPLETE, 0 instance(s) replaced, tagged deploy/demo/");
        assertThat(err.get(1)).startsWith("held: failed: stack held-datomic-transactor is locked by ci (https://ci.example/job/41/, pid 4242 on agent-7)");
        assertThat(err.get(2)).isEqualTo("next: not attempted (held failed before it)");
        String error = err.get(3);
        assertThat(error).startsWith("error: stacks/held: lock table " + LOCKS + ": stack held-datomic-transactor is locked by ci");

        JsonNode json = Json.mapper().readTree(Files.readString(report));
        JsonNode stacks = json.path("stacks");
        assertThat(stacks.fieldNames()).toIterable().containsExactly("demo", "held", "next");
        assertThat(stacks.path("demo").path("outcome").asText()).isEqualTo("deployed");
        assertThat(stacks.path("demo").path("status").asText()).isEqualTo("CREATE_COMPLETE");
        assertThat(stacks.path("demo").path("tag").asText()).startsWith("deploy/demo/");
        assertThat(stacks.path("held").path("outcome").asText()).isEqualTo("failed");
        assertThat(stacks.path("held").path("stackName").asText()).isEqualTo("held-datomic-transactor");
        assertThat(stacks.path("held").path("error").path("message").asText()).contains("is locked by ci");
        assertThat(stacks.path("held").path("error").path("todo").asText()).contains("force-unlock held");
        assertThat(stacks.path("held").path("error").path("exitCode").asInt()).isEqualTo(6);
        assertThat(stacks.path("next").path("outcome").asText()).isEqualTo("not-attempted");
        assertThat(stacks.path("next").path("reason").asText()).isEqualTo("held failed before it");
        assertThat(json.path("error").path("where").asText()).isEqualTo("stacks/held: lock table " + LOCKS);
        assertThat(json.path("exitCode").asInt()).isEqualTo(6);

        // the way out, pasted as printed: the folder (not the stack's name), the clone and the region are in it
        String unlock = Pasted.command(error, "datomic-gitops");
        assertThat(unlock).isEqualTo("datomic-gitops force-unlock held --lock-id " + deadLockId + " --dir '" + clone.toAbsolutePath()
                + "' --region us-east-1");
        CliRun unlocked = CliRun.run(repo.env, Pasted.arguments(unlock).toArray(String[]::new));
        assertThat(unlocked.exitCode()).as(unlocked.err()).isZero();
        assertThat(unlocked.out()).contains("unlocked held-datomic-transactor (lock id " + deadLockId + ")");
        try (AwsClients aws = sandbox.clients()) {
            assertThat(new StackLock(aws, Sandbox.REGION, LOCKS, Log.NONE, Clock.systemUTC()).holder("held-datomic-transactor")).isEmpty();
        }

        CliRun second = repo.run("apply", "--dir", clone.toString(), "--stack", "held", "--approved-by", "alice",
                "--report", tmp.resolve("apply-2.json").toString());
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).contains("held: held-datomic-transactor CREATE_COMPLETE");
    }

    /** The lock of a deployment whose agent died: another host, a lease far from over. */
    private static void holdAsADeadAgentWould(Sandbox sandbox, String stackName, String lockId) {
        try (AwsClients aws = sandbox.clients()) {
            new StackLock(aws, Sandbox.REGION, LOCKS, Log.NONE, Clock.systemUTC())
                    .acquire("warm-up", "t", "t", Duration.ofMinutes(1), Duration.ZERO).close(); // creates the table
            long now = Instant.now().getEpochSecond();
            aws.dynamoDb(Sandbox.REGION).putItem(r -> r.tableName(LOCKS).item(Map.of(
                    "LockID", s(stackName), "LockOwner", s(lockId), "Who", s("ci"), "Where", s("https://ci.example/job/41/"),
                    "Host", s("agent-7"), "Pid", n(4242), "Acquired", n(now - 60), "Expires", n(now + 3600))));
        }
    }

    private static AttributeValue s(String v) {
        return AttributeValue.builder().s(v).build();
    }

    private static AttributeValue n(long v) {
        return AttributeValue.builder().n(Long.toString(v)).build();
    }
}
