package io.datomicgitops.testing;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The AWS sandbox (moto server) as tests see it: started by the project's own {@code scripts/sandbox}, reused when
 * already running, reset on demand. Tests talk to it with the runner's real client factory.
 */
public final class Sandbox {
    public static final String REGION = "us-east-1";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path script;
    private final Path dir;
    private final boolean startedHere;
    /** Read again after a restart: the port it had may have been taken meanwhile. */
    private volatile URI endpoint;

    private Sandbox(Path script, Path dir, boolean startedHere) {
        this.script = script;
        this.dir = dir;
        this.startedHere = startedHere;
        this.endpoint = recordedEndpoint();
    }

    /**
     * Starts the sandbox unless one is running already. Its state directory is the system property sandbox.dir (the
     * build gives each test JVM its own, so integration test classes run in parallel JVMs, each with its own
     * sandbox), else SANDBOX_DIR, else scripts/sandbox's default.
     */
    static Sandbox startOrReuse() {
        Path script = script();
        Path dir = Optional.ofNullable(System.getProperty("sandbox.dir")).or(() -> Optional.ofNullable(System.getenv("SANDBOX_DIR")))
                .map(Path::of).orElse(script.getParent().getParent().resolve("target/sandbox"));
        boolean wasRunning = runScript(script, dir, "status") == 0;
        if (!wasRunning && runScript(script, dir, "start") != 0) {
            throw new IllegalStateException("scripts/sandbox start failed; see " + dir.resolve("moto.log"));
        }
        return new Sandbox(script, dir, !wasRunning);
    }

    private URI recordedEndpoint() {
        Path endpointFile = dir.resolve("endpoint");
        if (!Files.exists(endpointFile)) throw new IllegalStateException("the sandbox recorded no endpoint in " + endpointFile);
        return URI.create(read(endpointFile).trim());
    }

    void stopIfStartedHere() {
        if (startedHere) runScript(script, dir, "stop");
    }

    public URI endpoint() { return endpoint; }

    /** Settings as the runner would build them from the environment of {@link #env()}; few retries, so failures are quick. */
    public AwsSettings settings() {
        return AwsSettings.fromEnvironment(env()).withRetries(3, Duration.ofSeconds(30));
    }

    /** A client factory on the sandbox with its own call counter. */
    public AwsClients clients() {
        return new AwsClients(settings(), new ApiCallCounter());
    }

    public AwsClients clients(ApiCallCounter counter) {
        return new AwsClients(settings(), counter);
    }

    /** The environment a runner process needs to reach the sandbox. */
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_ENDPOINT_URL", endpoint.toString());
        env.put("AWS_REGION", REGION);
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        return env;
    }

    /** Accounts of their own (SandboxAccount) that tests acted in since the last reset. */
    private final java.util.concurrent.atomic.AtomicInteger accountsSinceReset = new java.util.concurrent.atomic.AtomicInteger();

    /** More accounts than this, and a fresh server is cheaper than moto's reset. */
    static final int ACCOUNTS_WORTH_A_RESTART = 3;

    void accountUsed() {
        accountsSinceReset.incrementAndGet();
    }

    /**
     * Forgets every resource. moto's reset re-creates each backend of every account a test touched before dropping it
     * (about 0.4 s per account, far more under load): after tests that spread over many accounts, a server started
     * afresh on the same port (scripts/sandbox restart) is what a reset should be, and takes about two seconds.
     */
    public void reset() {
        if (accountsSinceReset.getAndSet(0) > ACCOUNTS_WORTH_A_RESTART && startedHere) {
            if (runScript(script, dir, "restart") != 0) throw new IllegalStateException("scripts/sandbox restart failed; see " + dir.resolve("moto.log"));
            endpoint = recordedEndpoint();
            return;
        }
        post("/moto-api/reset", "");
    }

    /**
     * Turns IAM enforcement on after {@code freeCalls} more unauthenticated calls ("inf" turns it off): the
     * sandbox then checks every call against the caller's policies.
     */
    public void resetAuth(String freeCalls) {
        post("/moto-api/reset-auth", freeCalls);
    }

    private void post(String path, String body) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(endpoint.resolve(path))
                    .header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("sandbox " + path + " failed: " + e, e);
        }
    }

    static Path script() {
        String prop = System.getProperty("sandbox.script");
        if (prop != null) return Path.of(prop);
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("scripts/sandbox");
            if (Files.isExecutable(candidate)) return candidate;
            dir = dir.getParent();
        }
        throw new IllegalStateException("scripts/sandbox not found above " + Path.of("").toAbsolutePath());
    }

    /** Runs scripts/sandbox with ARGS on the sandbox in DIR (its SANDBOX_DIR); its exit code. The twin's too. */
    static int runScript(Path script, Path dir, String... args) {
        try {
            List<String> command = new ArrayList<>(List.of(script.toString()));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command).inheritIO().redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("SANDBOX_DIR", dir.toString());
            return pb.start().waitFor();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot run " + script + " " + String.join(" ", args) + ": " + e, e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
