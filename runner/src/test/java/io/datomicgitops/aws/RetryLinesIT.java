package io.datomicgitops.aws;

import io.datomicgitops.ToolException;
import io.datomicgitops.testing.FaultProxy;
import io.datomicgitops.testing.FaultProxy.Fault;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.exception.SdkException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A retried AWS call says so as it happens, through the fault proxy in front of the sandbox: the call, what the failed
 * attempt got (the HTTP status and error code, or no answer) and the attempt's number of the attempts allowed.
 */
@ExtendWith(SandboxExtension.class)
class RetryLinesIT {

    /** The given fault on the first {@code times} requests of the operation, then none. */
    private static FaultProxy.Policy first(int times, Fault fault, String operation) {
        Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        return call -> call.operation().equals(operation) && seen.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet() <= times
                ? fault : null;
    }

    private static AwsSettings through(FaultProxy proxy, int attempts) {
        return new AwsSettings(Optional.of(Sandbox.REGION), Optional.of(proxy.endpoint()), Optional.empty(), Optional.empty(),
                Optional.of(new AwsSettings.AwsCredentials("testing", "testing", null)), attempts, Duration.ofSeconds(2));
    }

    @Test
    void eachRetryIsSaidWithTheCallTheAnswerAndTheAttempt(Sandbox sandbox) throws Exception {
        List<FaultProxy.Policy> policies = List.of(first(2, Fault.ERROR_500, "GetCallerIdentity"), first(1, Fault.THROTTLE, "ListTables"),
                first(1, Fault.RESET_BEFORE, "DescribeSecurityGroups"), first(1, Fault.ERROR_503, "DescribeStacks"));
        FaultProxy.Policy all = call -> policies.stream().map(p -> p.decide(call)).filter(f -> f != null).findFirst().orElse(null);
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        try (FaultProxy proxy = FaultProxy.start(sandbox.endpoint(), all, 0, 0);
             AwsClients aws = new AwsClients(through(proxy, 10), new ApiCallCounter(), lines::add)) {
            aws.sts(null).getCallerIdentity();
            aws.dynamoDb(null).listTables();
            aws.ec2(null).describeSecurityGroups();
            aws.cloudFormation(null).describeStacks();
            aws.iam().listRoles(); // no fault: no line
        }
        assertThat(lines).containsSubsequence(
                "aws: Sts GetCallerIdentity answered HTTP 500 (InternalFailure); retrying (attempt 2 of 10)",
                "aws: Sts GetCallerIdentity answered HTTP 500 (InternalFailure); retrying (attempt 3 of 10)",
                "aws: DynamoDb ListTables answered HTTP 400 (ThrottlingException); retrying (attempt 2 of 10)",
                "aws: Ec2 DescribeSecurityGroups got no answer (the connection failed or timed out); retrying (attempt 2 of 10)",
                "aws: CloudFormation DescribeStacks answered HTTP 503 (ServiceUnavailable); retrying (attempt 2 of 10)");
        // a dropped connection can cost the next attempt too (the client's pooled connection to the proxy is gone): said as well
        assertThat(lines).hasSizeBetween(5, 6).noneMatch(l -> l.contains("ListRoles"))
                .filteredOn(l -> !l.startsWith("aws: Ec2 DescribeSecurityGroups got no answer")).hasSize(4);
    }

    @Test
    void aCallThatFailsEveryAttemptSaysEachRetryAndItsErrorIsStillReadFromTheAnswer(Sandbox sandbox) throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        ApiCallCounter counter = new ApiCallCounter();
        try (FaultProxy proxy = FaultProxy.start(sandbox.endpoint(), c -> c.operation().equals("ListRoles") ? Fault.ERROR_500 : null, 0, 0);
             AwsClients aws = new AwsClients(through(proxy, 3), counter, lines::add)) {
            SdkException failure = catchThrowableOfType(() -> aws.iam().listRoles(), SdkException.class);
            ToolException error = AwsErrors.translate(failure, counter);
            // the error body was read for the line and still reaches the SDK: the final error names the code
            assertThat(error.getMessage()).contains("Iam:ListRoles failed: InternalFailure: injected");
        }
        assertThat(lines).containsExactly(
                "aws: Iam ListRoles answered HTTP 500 (InternalFailure); retrying (attempt 2 of 3)",
                "aws: Iam ListRoles answered HTTP 500 (InternalFailure); retrying (attempt 3 of 3)");
    }
}
