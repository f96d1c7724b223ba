package io.datomicgitops.reliability;

import io.datomicgitops.aws.ApiCallCounter;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.aws.AwsSettings;
import io.datomicgitops.stack.StackDeployer;
import io.datomicgitops.stack.StackOutcome;
import io.datomicgitops.stack.StackRequest;
import io.datomicgitops.stack.StackResult;
import io.datomicgitops.testing.FaultProxy;
import io.datomicgitops.testing.FaultProxy.Fault;
import io.datomicgitops.testing.replay.RecordingLog;
import io.datomicgitops.testing.replay.ReplayServer;
import io.datomicgitops.testing.replay.TestTime;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stack creation whose CreateChangeSet and ExecuteChangeSet answers are lost after AWS acted: the SDK retries each
 * with the same idempotency token, so CloudFormation takes the retry for the same request (no AlreadyExists, no
 * second execution). The sandbox ignores these tokens, so this replays recorded CloudFormation answers
 * (replay/stack-create.replay) behind the fault proxy, which drops the first answer of each of the two calls.
 */
class ChangeSetRetryReplayTest {

    @Test
    void retriedChangeSetCallsCarryTheSameTokenAsTheirFirstAttempt() throws Exception {
        TestTime time = TestTime.at("2026-11-29T12:00:00Z");
        try (ReplayServer aws = ReplayServer.start().load("stack-create");
             FaultProxy proxy = FaultProxy.start(aws.endpoint(), FaultProxy.firstOf(Fault.RESET_AFTER,
                     c -> c.operation().equals("CreateChangeSet") || c.operation().equals("ExecuteChangeSet")), 0, 0);
             AwsClients clients = new AwsClients(new AwsSettings(Optional.of("us-east-1"), Optional.of(proxy.endpoint()), Optional.empty(),
                     Optional.empty(), Optional.of(new AwsSettings.AwsCredentials("AKIDREPLAY", "replay-secret", null)), 3,
                     Duration.ofSeconds(10)), new ApiCallCounter())) {
            StackDeployer deployer = new StackDeployer(clients, "us-east-1", new RecordingLog(), time, time);

            StackResult r = deployer.apply(StackRequest.builder("prod-transactor", template()).build());

            assertThat(r.outcome()).isEqualTo(StackOutcome.CREATED);
            assertThat(proxy.log()).extracting(i -> i.call().operation()).containsExactly("CreateChangeSet", "ExecuteChangeSet");
            List<String> createTokens = tokens(aws, "CreateChangeSet", "ClientToken");
            assertThat(createTokens).hasSize(2).doesNotContainNull().containsOnly(createTokens.get(0));
            assertThat(createTokens.get(0)).startsWith("datomic-gitops-");
            List<String> executeTokens = tokens(aws, "ExecuteChangeSet", "ClientRequestToken");
            assertThat(executeTokens).hasSize(2).doesNotContainNull().containsOnly(executeTokens.get(0));
            assertThat(executeTokens.get(0)).matches("execute-[-a-zA-Z0-9]+");
        }
    }

    private static List<String> tokens(ReplayServer aws, String action, String param) {
        return aws.calls().stream().filter(c -> c.action().equals(action)).map(c -> c.params().get(param)).toList();
    }

    private static String template() throws IOException {
        try (InputStream in = ChangeSetRetryReplayTest.class.getResourceAsStream("/stack/transactor-group.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
