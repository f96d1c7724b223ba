package io.datomicgitops.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datomicgitops.aws.ApiCallCounter;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.aws.AwsSettings;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The transactor twin (docs/TWIN.md): a sandbox of its own, started with {@code scripts/sandbox start --twin
 * --time-scale S} in its own SANDBOX_DIR (the shared plain sandbox of the other tests is left alone), where instances
 * take time to boot and each runs a stand-in Datomic transactor. Its control API sets faults and reads the peer
 * probe. Figures it reports are simulated (real-world) seconds; wall-clock is that times the time scale.
 */
public final class Twin implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path script;
    private final Path dir;
    private final URI endpoint;
    private final double timeScale;

    private Twin(Path script, Path dir, URI endpoint, double timeScale) {
        this.script = script;
        this.dir = dir;
        this.endpoint = endpoint;
        this.timeScale = timeScale;
    }

    /** Starts a twin of its own (in a fresh state directory under target/). */
    public static Twin start(double timeScale) {
        Path script = Sandbox.script();
        Path dir;
        try {
            Path target = script.getParent().getParent().resolve("target");
            Files.createDirectories(target);
            dir = Files.createTempDirectory(target, "twin-sandbox-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (Sandbox.runScript(script, dir, "start", "--twin", "--time-scale", String.valueOf(timeScale)) != 0) {
            throw new IllegalStateException("scripts/sandbox start --twin failed; see " + dir.resolve("moto.log"));
        }
        try {
            return new Twin(script, dir, URI.create(Files.readString(dir.resolve("endpoint")).trim()), timeScale);
        } catch (IOException e) {
            Sandbox.runScript(script, dir, "stop");
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        Sandbox.runScript(script, dir, "stop");
    }

    public URI endpoint() { return endpoint; }

    public double timeScale() { return timeScale; }

    /** Wall-clock time for a span of simulated seconds. */
    public Duration wall(double simulatedSeconds) {
        return Duration.ofMillis(Math.round(simulatedSeconds * timeScale * 1000));
    }

    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_ENDPOINT_URL", endpoint.toString());
        env.put("AWS_REGION", Sandbox.REGION);
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        return env;
    }

    public AwsClients clients() {
        return new AwsClients(AwsSettings.fromEnvironment(env()).withRetries(3, Duration.ofSeconds(30)), new ApiCallCounter());
    }

    /** GET /twin/status: settings, simulated time, every transactor, every probe. */
    public JsonNode status() {
        return call("GET", "/twin/status", null);
    }

    /** The transactor of an instance, if the twin has seen one. */
    public Optional<JsonNode> transactor(String instanceId) {
        for (JsonNode t : status().path("transactors")) {
            if (t.path("instanceId").asText().equals(instanceId)) return Optional.of(t);
        }
        return Optional.empty();
    }

    /** The peer probe of a system (its DynamoDB table), if it has started (an active transactor was seen). */
    public Optional<JsonNode> probe(String table) {
        for (JsonNode p : status().path("probes")) {
            if (p.path("system").asText().endsWith("/" + table)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** Faults for the next {@code count} transactors to appear, e.g. {@code {"neverStandby": true}}. */
    public void faultNext(int count, Map<String, Object> faults) {
        Map<String, Object> body = new LinkedHashMap<>(faults);
        body.put("next", count);
        call("POST", "/twin/fault", body);
    }

    public void faultInstance(String instanceId, Map<String, Object> faults) {
        Map<String, Object> body = new LinkedHashMap<>(faults);
        body.put("instanceId", instanceId);
        call("POST", "/twin/fault", body);
    }

    /** Polls the status until {@code done} holds, for at most {@code simulatedSeconds} of simulated time. */
    public JsonNode await(String what, double simulatedSeconds, Predicate<JsonNode> done) {
        long until = System.nanoTime() + wall(simulatedSeconds).toNanos() + Duration.ofSeconds(5).toNanos();
        while (true) {
            JsonNode s = status();
            if (done.test(s)) return s;
            if (System.nanoTime() > until) throw new AssertionError("twin: " + what + " did not happen within "
                    + simulatedSeconds + " simulated s; status: " + s.toPrettyString());
            try {
                Thread.sleep(Math.max(20, Math.round(timeScale * 1000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The instance ids of the transactors in a state (active, standby, starting, stuck, failed, dead, booting). */
    public static List<String> inState(JsonNode status, String state) {
        List<String> ids = new java.util.ArrayList<>();
        status.path("transactors").forEach(t -> { if (state.equals(t.path("state").asText())) ids.add(t.path("instanceId").asText()); });
        return ids;
    }

    private JsonNode call(String method, String path, Object body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(30));
            if (body == null) b.method(method, HttpRequest.BodyPublishers.noBody());
            else b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
            return JSON.readTree(r.body());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("twin " + path + " failed: " + e, e);
        }
    }
}
