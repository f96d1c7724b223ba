package io.datomicgitops.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fault-injecting HTTP proxy between the runner and the sandbox, on loopback. At a seeded rate it adds latency,
 * stalls a request past the client's timeout, resets the connection (before or after the sandbox has acted), or
 * answers the errors AWS answers under load — ThrottlingException, RequestLimitExceeded, Throttling, SlowDown,
 * 500, 503 — in each service's own wire format. Test code only: the runner just sees a slow, flaky AWS.
 */
public final class FaultProxy implements AutoCloseable {
    public enum Fault { LATENCY, STALL, RESET_BEFORE, RESET_AFTER, THROTTLE, ERROR_500, ERROR_503 }

    private static final Pattern SERVICE = Pattern.compile("Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request");
    private static final List<String> HOP_BY_HOP = List.of("connection", "keep-alive", "transfer-encoding", "content-length",
            "host", "expect", "upgrade");

    private final HttpServer server;
    private final URI target;
    private final Random random;
    private final double rate;
    private final long stallMillis;
    private volatile long latencyMillis;
    private final Map<Fault, AtomicLong> injected = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();

    private FaultProxy(URI target, long seed, double rate, long latencyMillis, long stallMillis) throws IOException {
        this.target = target;
        this.random = new Random(seed);
        this.rate = rate;
        this.latencyMillis = latencyMillis;
        this.stallMillis = stallMillis;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fault-proxy");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * @param rate          share of requests that get a fault (0.2 = 20%)
     * @param latencyMillis added to every request (0 for none)
     * @param stallMillis   how long a stalled request hangs (longer than the client's attempt timeout)
     */
    public static FaultProxy start(URI target, long seed, double rate, long latencyMillis, long stallMillis) throws IOException {
        return new FaultProxy(target, seed, rate, latencyMillis, stallMillis);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public void latency(long millis) {
        this.latencyMillis = millis;
    }

    public Map<Fault, Long> injected() {
        Map<Fault, Long> out = new java.util.TreeMap<>();
        injected.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public long requests() {
        return requests.get();
    }

    private Fault draw() {
        synchronized (random) {
            if (random.nextDouble() >= rate) return null;
            Fault[] faults = {Fault.STALL, Fault.RESET_BEFORE, Fault.RESET_AFTER, Fault.THROTTLE, Fault.THROTTLE, Fault.ERROR_500, Fault.ERROR_503};
            return faults[random.nextInt(faults.length)];
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        byte[] body = ex.getRequestBody().readAllBytes();
        sleep(latencyMillis);
        Fault fault = ex.getRequestURI().getPath().startsWith("/moto-api") ? null : draw();
        if (fault != null) injected.computeIfAbsent(fault, f -> new AtomicLong()).incrementAndGet();
        String service = service(ex);
        try {
            if (fault == Fault.STALL) {
                sleep(stallMillis);
                ex.close();
                return;
            }
            if (fault == Fault.RESET_BEFORE) {
                reset(ex);
                return;
            }
            if (fault == Fault.THROTTLE || fault == Fault.ERROR_500 || fault == Fault.ERROR_503) {
                respondError(ex, service, fault);
                return;
            }
            Upstream up = forward(ex, body);
            if (fault == Fault.RESET_AFTER) {
                reset(ex); // the sandbox acted, the client never hears of it: a retry must converge
                return;
            }
            up.headers.forEach((k, vs) -> {
                if (k != null && !HOP_BY_HOP.contains(k.toLowerCase())) vs.forEach(v -> ex.getResponseHeaders().add(k, v));
            });
            ex.sendResponseHeaders(up.status, up.body.length == 0 ? -1 : up.body.length);
            if (up.body.length > 0) ex.getResponseBody().write(up.body);
            ex.close();
        } catch (IOException e) {
            ex.close();
        }
    }

    private record Upstream(int status, Map<String, List<String>> headers, byte[] body) {}

    private Upstream forward(HttpExchange ex, byte[] body) throws IOException {
        URI uri = target.resolve(ex.getRequestURI().getRawPath() + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()));
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setRequestMethod(ex.getRequestMethod());
        c.setInstanceFollowRedirects(false);
        ex.getRequestHeaders().forEach((k, vs) -> {
            if (!HOP_BY_HOP.contains(k.toLowerCase())) vs.forEach(v -> c.addRequestProperty(k, v));
        });
        // the SDK signed the Host header with the proxy's address; moto does not check signatures
        if (body.length > 0 || List.of("POST", "PUT").contains(ex.getRequestMethod())) {
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
        }
        int status = c.getResponseCode();
        byte[] resp;
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            resp = in == null ? new byte[0] : in.readAllBytes();
        }
        return new Upstream(status, c.getHeaderFields(), resp);
    }

    private static void respondError(HttpExchange ex, String service, Fault fault) throws IOException {
        int status = fault == Fault.ERROR_500 ? 500 : fault == Fault.ERROR_503 ? 503 : 400;
        String type;
        byte[] body;
        if ("dynamodb".equals(service)) {
            String code = fault == Fault.THROTTLE ? "ThrottlingException" : status == 503 ? "ServiceUnavailable" : "InternalServerError";
            type = "application/x-amz-json-1.0";
            body = ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + code + "\",\"message\":\"injected " + code + "\"}").getBytes(StandardCharsets.UTF_8);
        } else if ("s3".equals(service)) {
            status = fault == Fault.THROTTLE ? 503 : status;
            String code = fault == Fault.THROTTLE ? "SlowDown" : status == 503 ? "ServiceUnavailable" : "InternalError";
            type = "application/xml";
            body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>injected</Message></Error>").getBytes(StandardCharsets.UTF_8);
        } else if ("ec2".equals(service)) {
            String code = fault == Fault.THROTTLE ? "RequestLimitExceeded" : status == 503 ? "Unavailable" : "InternalError";
            status = fault == Fault.THROTTLE ? 503 : status;
            type = "text/xml";
            body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>" + code
                    + "</Code><Message>injected</Message></Error></Errors><RequestID>fault</RequestID></Response>").getBytes(StandardCharsets.UTF_8);
        } else {
            String code = fault == Fault.THROTTLE ? "Throttling" : status == 503 ? "ServiceUnavailable" : "InternalFailure";
            type = "text/xml";
            body = ("<ErrorResponse><Error><Type>" + (status >= 500 ? "Receiver" : "Sender") + "</Type><Code>" + code
                    + "</Code><Message>injected</Message></Error><RequestId>fault</RequestId></ErrorResponse>").getBytes(StandardCharsets.UTF_8);
        }
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    private static String service(HttpExchange ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null) return "";
        Matcher m = SERVICE.matcher(auth);
        return m.find() ? m.group(1) : "";
    }

    /** Closes the connection without a response: the client sees the connection drop mid-request. */
    private static void reset(HttpExchange ex) {
        ex.close();
    }

    private static void sleep(long millis) {
        if (millis <= 0) return;
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
