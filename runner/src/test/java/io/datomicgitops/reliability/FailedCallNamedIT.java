package io.datomicgitops.reliability;

import io.datomicgitops.ToolException;
import io.datomicgitops.aws.ApiCallCounter;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.aws.AwsErrors;
import io.datomicgitops.aws.AwsSettings;
import io.datomicgitops.testing.FaultProxy;
import io.datomicgitops.testing.FaultProxy.Fault;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.exception.SdkException;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The error line names the call that failed even when cleanup calls (a lock release, a change-set delete) ran on
 * the same thread between the failure and the message.
 */
@ExtendWith(SandboxExtension.class)
class FailedCallNamedIT {

    @Test
    void theFailingCallIsNamedNotTheLastOne(Sandbox sandbox) throws Exception {
        try (FaultProxy proxy = FaultProxy.start(sandbox.endpoint(), c -> c.operation().equals("ListRoles") ? Fault.ERROR_503 : null, 0, 0)) {
            ApiCallCounter counter = new ApiCallCounter();
            AwsSettings settings = new AwsSettings(Optional.of(Sandbox.REGION), Optional.of(proxy.endpoint()), Optional.empty(), Optional.empty(),
                    Optional.of(new AwsSettings.AwsCredentials("testing", "testing", null)), 2, Duration.ofSeconds(10));
            try (AwsClients aws = new AwsClients(settings, counter)) {
                SdkException failure = catchThrowableOfType(() -> aws.iam().listRoles(), SdkException.class);
                aws.sts(null).getCallerIdentity(); // the cleanup after the failure
                ToolException error = AwsErrors.translate(failure, counter);
                assertThat(error.getMessage()).contains("Iam:ListRoles failed").doesNotContain("GetCallerIdentity");
                assertThat(counter.lastOperation()).isEqualTo("Sts:GetCallerIdentity");
            }
        }
    }
}
