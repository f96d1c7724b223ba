package io.datomicgitops.aws;

import io.datomicgitops.testing.FaultProxy;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The client factory's retries ride out injected faults: every call through a 30% fault rate still succeeds. */
@ExtendWith(SandboxExtension.class)
class FaultToleranceIT {

    @Test
    void readsAndIdempotentWritesSucceedThroughAFlakyNetwork(Sandbox sandbox) throws Exception {
        try (FaultProxy proxy = FaultProxy.start(sandbox.endpoint(), 7, 0.3, 0, 3_000)) {
            AwsSettings settings = new AwsSettings(Optional.of("us-east-1"), Optional.of(proxy.endpoint()), Optional.empty(),
                    Optional.empty(), Optional.of(new AwsSettings.AwsCredentials("testing", "testing", null)), 10, Duration.ofSeconds(2));
            try (AwsClients aws = new AwsClients(settings, new ApiCallCounter())) {
                for (int i = 0; i < 15; i++) {
                    aws.sts(null).getCallerIdentity();
                    aws.dynamoDb(null).listTables();
                    aws.iam().listRoles();
                    aws.ec2(null).describeSecurityGroups();
                    aws.s3(null).listBuckets();
                }
            }
            Map<FaultProxy.Fault, Long> injected = proxy.injected();
            assertThat(injected.values().stream().mapToLong(Long::longValue).sum()).as("faults were injected: %s", injected).isGreaterThan(10);
            assertThat(injected).containsKeys(FaultProxy.Fault.THROTTLE, FaultProxy.Fault.RESET_BEFORE, FaultProxy.Fault.STALL);
        }
    }
}
