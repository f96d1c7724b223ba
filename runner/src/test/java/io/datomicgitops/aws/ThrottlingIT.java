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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fleet plan under throttling, as AWS throttles an account's reads past their rate: per service, the proxy answers
 * every Describe, List and Get call above 5 a second (bursts of 5) with that service's throttling error. The plan (20
 * stacks, 8 at once) completes, every stack planned as the demo stack is and nothing about throttling in it, and it
 * slows down rather than hammer: once throttled, each client (one per service and region) keeps to a rate below what
 * AWS refused, so under a fifth of the requests are throttled (10-12% in three runs; with backoff alone 32%, in two).
 * Why 20 stacks: with 10 (about 65 requests) the burst before a client learns its rate weighed so much that loaded
 * builds saw 16-19% throttled, next to the bound. The requests, the throttled ones and the wall time are printed;
 * bench/run's scale section plans 50 stacks this way.
 */
@ExtendWith(SandboxExtension.class)
class ThrottlingIT {
    static final int STACKS = 20;
    static final double READS_PER_SECOND = 5;
    static final int BURST = 5;

    @TempDir
    Path tmp;

    @Test
    void aFleetPlanCompletesWhenAwsThrottlesItsReadsAndSlowsDownInsteadOfHammering(Sandbox sandbox) throws Exception {
        sandbox.reset();
        String[] more = IntStream.range(1, STACKS).mapToObj(i -> "fleet" + i).toArray(String[]::new);
        ConfigRepoFixture repo = ConfigRepoFixture.create(tmp, sandbox, more);
        assertThat(repo.checkout().exitCode()).isZero();
        try (FaultProxy proxy = FaultProxy.start(sandbox.endpoint(), readsPerServiceAbove(READS_PER_SECOND, BURST), 0, 3_000)) {
            repo.env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
            Path report = tmp.resolve("plan.json");
            long start = System.nanoTime();
            CliRun plan = repo.run("plan", "--dir", repo.clone.toString(), "--report", report.toString());
            double seconds = (System.nanoTime() - start) / 1e9;
            long throttled = proxy.injected().getOrDefault(FaultProxy.Fault.THROTTLE, 0L);
            System.out.printf("throttling: a plan of %d stacks made %d AWS requests, %d answered with throttling "
                            + "(reads above %.0f/s per service), and completed in %.1f s%n",
                    STACKS, proxy.requests(), throttled, READS_PER_SECOND, seconds);

            assertThat(plan.exitCode()).as(plan.out() + plan.err()).isEqualTo(2);
            JsonNode stacks = Json.mapper().readTree(Files.readString(report)).path("stacks");
            assertThat(stacks.size()).isEqualTo(STACKS);
            JsonNode demo = stacks.path("demo");
            assertThat(demo.path("changes").asBoolean()).isTrue();
            assertThat(demo.path("stackExists").asBoolean()).isFalse();
            assertThat(demo.path("resourcesToCreate").asInt()).isPositive();
            assertThat(demo.toString()).as("no read gave up: nothing about throttling in the plan").doesNotContainIgnoringCase("throttl");
            for (String name : more) {
                assertThat(stacks.path(name).toString().replace(name, "demo")).as(name + " is planned as demo is").isEqualTo(demo.toString());
            }
            assertThat(throttled).as("the proxy throttled the plan's reads").isPositive();
            assertThat((double) throttled / proxy.requests()).as("share of requests throttled: the clients slowed down")
                    .isLessThan(0.2);
        }
    }

    /** AWS's throttling: a token bucket per service (the proxy's {@link FaultProxy#rateLimited} is one for all calls). */
    static FaultProxy.Policy readsPerServiceAbove(double perSecond, int burst) {
        Map<String, FaultProxy.Policy> services = new ConcurrentHashMap<>();
        return call -> services.computeIfAbsent(call.service(), s -> FaultProxy.rateLimited(perSecond, burst, FaultProxy::read)).decide(call);
    }
}
