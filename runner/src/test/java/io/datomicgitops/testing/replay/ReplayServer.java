package io.datomicgitops.testing.replay;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.datomicgitops.aws.ApiCallCounter;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.aws.AwsSettings;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replays recorded AWS API responses from an HTTP server on loopback, for the sequences the sandbox cannot produce
 * (in-progress polling, resource events, rollbacks, change-set replacement details, instance refresh). The runner's
 * real SDK clients talk to it through the endpoint override; only the wire answers are recorded.
 *
 * <p>A recording ({@code src/test/resources/replay/NAME.replay}) is a list of responses for the Query/EC2 protocols
 * (CloudFormation, Auto Scaling, EC2), each headed by a line
 * {@code ### Action [HTTP-status] [cbor] [after OtherAction#N]}:
 * <ul>
 *   <li>plain responses of an action are served in order, one per call; the last one repeats (polling);</li>
 *   <li>a response with {@code after X#N} is served instead once X has been called N times (the latest such one
 *   wins): it models state that changes when something else happens.</li>
 * </ul>
 * A {@code cbor} response is written as JSON and sent as CBOR (Smithy RPC v2 CBOR: CloudWatch in current SDKs).
 * Lines before the first header, and lines starting with {@code #!}, are comments. An action with no recording is
 * answered with an error naming it, so a test sees at once which call it did not expect.
 */
public final class ReplayServer implements AutoCloseable {
    private static final Pattern HEADER = Pattern.compile("^### (\\w+)(?: (\\d{3}))?( cbor)?(?: after (\\w+)#(\\d+))?\\s*$");
    /** Smithy RPC v2 CBOR requests name the operation in the path. */
    private static final Pattern RPC_V2_PATH = Pattern.compile("^/service/[^/]+/operation/(\\w+)$");

    /** A request the server received: the action and its form parameters. */
    public record Call(String action, Map<String, String> params) {}

    private record Response(int status, String body, boolean cbor, String afterAction, int afterCount) {}

    private final HttpServer server;
    private final Map<String, List<Response>> sequential = new ConcurrentHashMap<>();
    private final Map<String, List<Response>> conditional = new ConcurrentHashMap<>();
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    private final List<Call> calls = new ArrayList<>();

    private ReplayServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", this::handle);
        server.start();
    }

    public static ReplayServer start() {
        try {
            return new ReplayServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds the responses of a recording on the test class path ({@code replay/NAME.replay}). */
    public ReplayServer load(String name) {
        String resource = "/replay/" + name + ".replay";
        try (InputStream in = ReplayServer.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalArgumentException("no recording " + resource);
            parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void parse(String text) {
        String action = null;
        int status = 200;
        boolean cbor = false;
        String after = null;
        int afterCount = 0;
        StringBuilder body = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            Matcher m = HEADER.matcher(line);
            if (m.matches()) {
                if (action != null) add(action, status, body.toString().strip(), cbor, after, afterCount);
                action = m.group(1);
                status = m.group(2) == null ? 200 : Integer.parseInt(m.group(2));
                cbor = m.group(3) != null;
                after = m.group(4);
                afterCount = m.group(5) == null ? 0 : Integer.parseInt(m.group(5));
                body.setLength(0);
            } else if (action != null && !line.startsWith("#!")) {
                body.append(line).append('\n');
            }
        }
        if (action != null) add(action, status, body.toString().strip(), cbor, after, afterCount);
    }

    private void add(String action, int status, String body, boolean cbor, String after, int afterCount) {
        Response r = new Response(status, body, cbor, after, afterCount);
        (after == null ? sequential : conditional).computeIfAbsent(action, k -> new ArrayList<>()).add(r);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The runner's client factory pointed at this server: us-east-1, fixed credentials, one attempt per call. */
    public AwsClients clients() {
        return clients(new ApiCallCounter());
    }

    public AwsClients clients(ApiCallCounter counter) {
        AwsSettings settings = new AwsSettings(Optional.of("us-east-1"), Optional.of(endpoint()), Optional.empty(), Optional.empty(),
                Optional.of(new AwsSettings.AwsCredentials("AKIDREPLAY", "replay-secret", null)), 1, Duration.ofSeconds(10));
        return new AwsClients(settings, counter);
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    public synchronized List<String> actions() {
        return calls.stream().map(Call::action).toList();
    }

    public synchronized int count(String action) {
        return counts.getOrDefault(action, 0);
    }

    /** The parameters of the last call of {@code action}. */
    public synchronized Map<String, String> last(String action) {
        for (int i = calls.size() - 1; i >= 0; i--) if (calls.get(i).action().equals(action)) return calls.get(i).params();
        throw new AssertionError("no " + action + " call was made; calls: " + actions());
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] request = exchange.getRequestBody().readAllBytes();
        Matcher rpc = RPC_V2_PATH.matcher(exchange.getRequestURI().getPath());
        Map<String, String> params = rpc.matches() ? Map.of() : decode(new String(request, StandardCharsets.UTF_8));
        String action = rpc.matches() ? rpc.group(1) : params.getOrDefault("Action", "(none)");
        Response r;
        synchronized (this) {
            calls.add(new Call(action, params));
            int n = counts.merge(action, 1, Integer::sum);
            r = pick(action, n);
        }
        byte[] bytes;
        if (r.cbor()) {
            bytes = Cbor.encode(io.datomicgitops.report.Json.mapper().readTree(r.body()));
            exchange.getResponseHeaders().add("Content-Type", "application/cbor");
            exchange.getResponseHeaders().add("smithy-protocol", "rpc-v2-cbor");
        } else {
            bytes = r.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
        }
        exchange.getResponseHeaders().add("x-amzn-RequestId", "replay-" + calls.size());
        // one connection per call: on a kept-alive connection each small answer waits on the peer's delayed ACK (~40 ms)
        exchange.getResponseHeaders().add("Connection", "close");
        exchange.sendResponseHeaders(r.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private Response pick(String action, int callNumber) {
        Response chosen = null;
        for (Response c : conditional.getOrDefault(action, List.of())) {
            if (counts.getOrDefault(c.afterAction(), 0) >= c.afterCount()) chosen = c;
        }
        if (chosen != null) return chosen;
        List<Response> list = sequential.get(action);
        if (list == null || list.isEmpty()) {
            return new Response(400, "<ErrorResponse><Error><Type>Sender</Type><Code>NoRecording</Code><Message>the recording has no "
                    + action + "</Message></Error><RequestId>replay</RequestId></ErrorResponse>", false, null, 0);
        }
        return list.get(Math.min(callNumber, list.size()) - 1);
    }

    private static Map<String, String> decode(String form) {
        Map<String, String> out = new LinkedHashMap<>();
        if (form.isEmpty()) return out;
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
