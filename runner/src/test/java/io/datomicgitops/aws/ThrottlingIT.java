package io.datomicgitops.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.cli.CliRun;
import io.datomicgitops.report.Json;
import io.datomicgitops.testing.ConfigRepoFixture;
import io.datomicgitops.testing.FaultProxy;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fleet plan under throttling, as AWS throttles an account's reads past its rate: the proxy answers every Describe,
 * List and Get call above 15 a second with ThrottlingException. The plan backs off (exponential, with jitter, up to
 * --max-attempts) and completes for every stack; the throttles and the wall time are printed.
 */
@ExtendWith(SandboxExtension.class)
class ThrottlingIT {
    static final int STACKS = 10;
    static final double READS_PER_SECOND = 15;

    @TempDir
    Path tmp;

    @Test
    void aPlanOfTenStacksCompletesWhenAwsThrottlesItsReads(Sandbox sandbox) throws Exception {
        sandbox.reset();
        String[] more = IntStream.range(1, STACKS).mapToObj(i -> "fleet" + i).toArray(String[]::new);
        ConfigRepoFixture repo = ConfigRepoFixture.create(tmp, sandbox, more);
        assertThat(repo.checkout().exitCode()).isZero();
        try (FaultProxy proxy = FaultProxy.start(sandbox.endpoint(), FaultProxy.rateLimited(READS_PER_SECOND, 5, FaultProxy::read), 0, 3_000)) {
            repo.env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
            Path report = tmp.resolve("plan.json");
            long start = System.nanoTime();
            CliRun plan = repo.run("plan", "--dir", repo.clone.toString(), "--report", report.toString());
            double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(plan.exitCode()).as(plan.out() + plan.err()).isEqualTo(2);
            JsonNode r = Json.mapper().readTree(Files.readString(report));
            assertThat(r.path("stacks").size()).isEqualTo(STACKS);
            r.path("stacks").forEach(stack -> assertThat(stack.path("changes").asBoolean()).as(stack.toString()).isTrue());
            long throttled = proxy.injected().getOrDefault(FaultProxy.Fault.THROTTLE, 0L);
            assertThat(throttled).as("the proxy throttled the plan's reads").isPositive();
            System.out.printf("throttling: a plan of %d stacks made %d AWS requests, %d answered ThrottlingException "
                    + "(reads limited to %.0f/s), and completed in %.1f s%n", STACKS, proxy.requests(), throttled, READS_PER_SECOND, seconds);
        }
    }
}
