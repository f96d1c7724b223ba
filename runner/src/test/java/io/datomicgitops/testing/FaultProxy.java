package io.datomicgitops.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fault-injecting HTTP proxy between the runner and the sandbox, on loopback. A {@link Policy} picks, per request,
 * a fault: stall the request (then drop it), reset the connection before the sandbox sees the request or after the
 * sandbox has acted on it, hold the sandbox's answer past the client's attempt timeout, cut the answer's body
 * mid-way, answer the errors AWS answers under load — ThrottlingException, RequestLimitExceeded, Throttling, SlowDown,
 * 500, 503 — or refuse the call as AWS refuses a denied one (AccessDenied, not retried), in each service's own wire
 * format. Latency can be added to every request. Test code only: the runner just sees a slow, flaky AWS.
 *
 * <p>It also tells, per fault, whether the SDK's retries absorbed it or it reached the runner's own code
 * ({@link #reachedTool()}): the SDK names each call's attempts ({@code amz-sdk-invocation-id}), so the proxy sees how
 * every call that met a fault ended.
 */
public final class FaultProxy implements AutoCloseable {
    public enum Fault {
        LATENCY,
        /** The request hangs for the proxy's stall time, then the connection drops; the sandbox never sees it. */
        STALL,
        RESET_BEFORE,
        /** The sandbox acted; the connection drops before the answer: the answer is lost. */
        RESET_AFTER,
        /** The sandbox acted; its answer is held for the stall time (past the client's attempt timeout), then dropped. */
        STALL_AFTER,
        /** The sandbox acted; its answer's headers and half its body arrive, then the connection drops. */
        CUT_BODY,
        THROTTLE,
        ERROR_500,
        ERROR_503,
        /** AccessDenied (UnauthorizedOperation on EC2, AccessDeniedException on DynamoDB): an error no SDK retries. */
        DENIED;

        /** The sandbox acted on the request before the fault: a retry meets its own work. */
        public boolean sandboxActed() {
            return this == RESET_AFTER || this == STALL_AFTER || this == CUT_BODY;
        }
    }

    /** The faults a seeded policy draws from (throttling twice as often as each of the others). */
    public static final List<Fault> DEFAULT_MIX = List.of(Fault.STALL, Fault.RESET_BEFORE, Fault.RESET_AFTER, Fault.THROTTLE,
            Fault.THROTTLE, Fault.ERROR_500, Fault.ERROR_503);
    /** Each fault as often as the others. */
    public static final List<Fault> EVEN_MIX = List.of(Fault.STALL, Fault.RESET_BEFORE, Fault.RESET_AFTER, Fault.CUT_BODY, Fault.THROTTLE,
            Fault.ERROR_500, Fault.ERROR_503);

    /** One request as the proxy sees it: the signing service ("iam", "dynamodb", ...) and the API operation. */
    public record Call(String service, String operation) {
        /** Calls that change something (Create*, Put*, PUT on S3, ...), by the runner's own rule. */
        public boolean mutating() {
            return io.datomicgitops.aws.ApiCallCounter.isMutating(service + ":" + operation);
        }

        @Override
        public String toString() {
            return service + ":" + operation;
        }
    }

    /** A fault that was injected, and into which call. */
    public record Injected(Call call, Fault fault) {}

    /** Decides the fault for each request (null: none). Called from several threads. */
    @FunctionalInterface
    public interface Policy {
        Fault decide(Call call);
    }

    /** No fault at all. */
    public static Policy none() {
        return call -> null;
    }

    /** A share {@code rate} of requests gets a fault drawn from {@code mix}, reproducibly for the seed. */
    public static Policy seeded(long seed, double rate, List<Fault> mix) {
        Random random = new Random(seed);
        return call -> {
            synchronized (random) {
                if (random.nextDouble() >= rate) return null;
                return mix.get(random.nextInt(mix.size()));
            }
        };
    }

    /** The given fault on the first request of each distinct operation that matches (its retry gets through). */
    public static Policy firstOf(Fault fault, Predicate<Call> which) {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        return call -> which.test(call) && seen.add(call.toString()) ? fault : null;
    }

    /**
     * Throttling as AWS does it: each matching call takes a token from a bucket of {@code burst} refilled at
     * {@code perSecond}; a call that finds it empty is answered with ThrottlingException. A client that keeps
     * retrying at once gets nowhere; one that backs off gets through at the allowed rate.
     */
    public static Policy rateLimited(double perSecond, int burst, Predicate<Call> which) {
        double[] state = {burst, System.nanoTime()};  // tokens, last refill
        return call -> {
            if (!which.test(call)) return null;
            synchronized (state) {
                double now = System.nanoTime();
                state[0] = Math.min(burst, state[0] + (now - state[1]) / 1e9 * perSecond);
                state[1] = now;
                if (state[0] < 1) return Fault.THROTTLE;
                state[0] -= 1;
                return null;
            }
        };
    }

    /**
     * A throttling storm: from the first call that matches {@code starts}, every call is throttled for
     * {@code millis} (all of them, as when an account's API rate is spent), then none.
     */
    public static Policy storm(Predicate<Call> starts, long millis) {
        long[] began = {0};
        return call -> {
            synchronized (began) {
                if (began[0] == 0 && starts.test(call)) began[0] = System.nanoTime();
                return began[0] != 0 && System.nanoTime() - began[0] < millis * 1_000_000 ? Fault.THROTTLE : null;
            }
        };
    }

    /** Reads: the calls AWS throttles per account first (Describe*, List*, Get*). */
    public static boolean read(Call call) {
        return call.operation().startsWith("Describe") || call.operation().startsWith("List") || call.operation().startsWith("Get");
    }

    private static final Pattern SERVICE = Pattern.compile("Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request");
    private static final Pattern ACTION = Pattern.compile("(?:^|&)Action=([A-Za-z0-9]+)");
    private static final Pattern TOKEN = Pattern.compile("(?:^|&)Client(?:Request)?Token=");
    private static final Pattern RPC_V2 = Pattern.compile("/service/[^/]+/operation/([A-Za-z0-9]+)");

    private final HttpServer server;
    private final ExecutorService executor;
    private final URI target;
    private final long stallMillis;
    private volatile Policy policy;
    private volatile long latencyMillis;
    private final Map<Fault, AtomicLong> injected = new ConcurrentHashMap<>();
    private final List<Injected> log = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    /** Every attempt of every SDK call, by the call's invocation id, in order. */
    private final Map<String, List<Attempt>> invocations = new ConcurrentHashMap<>();
    /** Answers to CreateChangeSet/ExecuteChangeSet by token and request body, when tokens are honoured. */
    private final Map<String, Upstream> tokenAnswers = new ConcurrentHashMap<>();
    private volatile boolean honourTokens;

    /**
     * One attempt of an SDK call: its fault (null: none), what the client got (an HTTP status, 0 for no answer or a
     * cut one) and what the sandbox answered (0 when it never saw the request).
     */
    record Attempt(int number, Call call, Fault fault, int clientStatus, int sandboxStatus) {}
    private static final Pattern ATTEMPT = Pattern.compile("attempt=(\\d+)");

    private FaultProxy(URI target, Policy policy, long latencyMillis, long stallMillis) throws IOException {
        this.target = target;
        this.policy = policy;
        this.latencyMillis = latencyMillis;
        this.stallMillis = stallMillis;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fault-proxy");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * @param rate          share of requests that get a fault (0.2 = 20%), drawn from {@link #DEFAULT_MIX}
     * @param latencyMillis added to every request (0 for none)
     * @param stallMillis   how long a stalled request hangs before the connection is dropped
     */
    public static FaultProxy start(URI target, long seed, double rate, long latencyMillis, long stallMillis) throws IOException {
        return new FaultProxy(target, seeded(seed, rate, DEFAULT_MIX), latencyMillis, stallMillis);
    }

    public static FaultProxy start(URI target, Policy policy, long latencyMillis, long stallMillis) throws IOException {
        return new FaultProxy(target, policy, latencyMillis, stallMillis);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public void latency(long millis) {
        this.latencyMillis = millis;
    }

    /** Replaces the policy, e.g. {@link #none()} for a clean run through the same endpoint. */
    public void policy(Policy policy) {
        this.policy = policy;
    }

    /** Faults injected so far, by kind. */
    public Map<Fault, Long> injected() {
        Map<Fault, Long> out = new EnumMap<>(Fault.class);
        injected.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Every fault injected so far, in order, with the call it hit. */
    public List<Injected> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** Requests seen per "service:operation" (faulted ones included). */
    public Map<String, Long> calls() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public long requests() {
        return requests.get();
    }

    /**
     * Makes the proxy stand in for CloudFormation's idempotency tokens, which the sandbox ignores: a CreateChangeSet
     * or ExecuteChangeSet repeating a token and body the proxy already passed on gets the sandbox's first answer
     * again, as AWS answers a retry, instead of a second change set or a second execution. A call without a token
     * (or with a new one) still reaches the sandbox.
     */
    public FaultProxy honourIdempotencyTokens() {
        this.honourTokens = true;
        return this;
    }

    /**
     * Faults that reached the runner's own code, by kind: the SDK gave up on them (the call's last attempt met the
     * fault, or the fault was one it never retries), or the sandbox had acted and the retry met that work with an
     * error answer (EntityAlreadyExists, InvalidGroup.Duplicate, ...) the SDK hands to the caller. The others were
     * absorbed by the SDK's retries: the call ended as if nothing had happened.
     */
    public Map<Fault, Long> reachedTool() {
        Map<Fault, Long> out = new EnumMap<>(Fault.class);
        for (List<Attempt> attempts : invocations.values()) {
            List<Attempt> all;
            synchronized (attempts) {
                all = List.copyOf(attempts);
            }
            // by the SDK's attempt number: a stalled attempt ends (and is noted) after the retry that followed it
            Attempt last = all.stream().max(java.util.Comparator.comparingInt(Attempt::number)).orElseThrow();
            for (Attempt a : all) {
                if (a.fault() == null || a.fault() == Fault.LATENCY) continue;
                boolean gaveUp = a == last;
                boolean metItsOwnWork = a.fault().sandboxActed() && last.clientStatus() != a.sandboxStatus() && !ok(last.clientStatus());
                if (gaveUp || metItsOwnWork) out.merge(a.fault(), 1L, Long::sum);
            }
        }
        return out;
    }

    private static boolean ok(int status) {
        return status >= 200 && status < 400;
    }

    private void attempt(HttpExchange ex, Call call, Fault fault, int clientStatus, int sandboxStatus) {
        String id = ex.getRequestHeaders().getFirst("amz-sdk-invocation-id");
        if (id == null) id = "request-" + requests.get() + "-" + System.nanoTime();
        List<Attempt> attempts = invocations.computeIfAbsent(id, k -> Collections.synchronizedList(new ArrayList<>()));
        String request = ex.getRequestHeaders().getFirst("amz-sdk-request");
        Matcher n = ATTEMPT.matcher(request == null ? "" : request);
        attempts.add(new Attempt(n.find() ? Integer.parseInt(n.group(1)) : attempts.size() + 1, call, fault, clientStatus, sandboxStatus));
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            requests.incrementAndGet();
            byte[] body = ex.getRequestBody().readAllBytes();
            Call call = call(ex, body);
            calls.computeIfAbsent(call.toString(), k -> new AtomicLong()).incrementAndGet();
            sleep(latencyMillis);
            boolean moto = ex.getRequestURI().getPath().startsWith("/moto-api");
            Fault fault = moto ? null : policy.decide(call);
            if (fault != null) {
                injected.computeIfAbsent(fault, f -> new AtomicLong()).incrementAndGet();
                log.add(new Injected(call, fault));
            }
            if (fault == Fault.STALL) {
                sleep(stallMillis);
                if (!moto) attempt(ex, call, fault, 0, 0);
                reset(ex);
                return;
            }
            if (fault == Fault.RESET_BEFORE) {
                if (!moto) attempt(ex, call, fault, 0, 0);
                reset(ex);
                return;
            }
            if (fault == Fault.THROTTLE || fault == Fault.ERROR_500 || fault == Fault.ERROR_503 || fault == Fault.DENIED) {
                if (!moto) attempt(ex, call, fault, respondError(ex, call.service(), fault), 0);
                return;
            }
            Upstream up = forward(call, ex, body);
            if (fault == Fault.RESET_AFTER || fault == Fault.STALL_AFTER) {
                if (fault == Fault.STALL_AFTER) sleep(stallMillis);
                attempt(ex, call, fault, 0, up.status());
                reset(ex); // the sandbox acted, the client never hears of it: a retry must converge
                return;
            }
            if (fault == Fault.CUT_BODY) {
                attempt(ex, call, fault, 0, up.status());
                Upstream.respondCut(ex, up.status(), up.body(), up.headers());
                return;
            }
            if (!moto) attempt(ex, call, fault, up.status(), up.status());
            Upstream.respond(ex, up.status(), up.body(), up.headers());
        } catch (IOException | RuntimeException e) {
            ex.close();
        }
    }

    /** Passes the request on, or answers a repeated change set call from the first answer when tokens are honoured. */
    private Upstream forward(Call call, HttpExchange ex, byte[] body) throws IOException {
        String form = new String(body, StandardCharsets.UTF_8);
        boolean tokened = honourTokens && "cloudformation".equals(call.service())
                && (call.operation().equals("CreateChangeSet") || call.operation().equals("ExecuteChangeSet"))
                && TOKEN.matcher(form).find();
        if (!tokened) return Upstream.forward(target, ex, body);
        String key = call.operation() + "\n" + form;
        Upstream first = tokenAnswers.get(key);
        if (first != null) return first;
        Upstream up = Upstream.forward(target, ex, body);
        if (ok(up.status())) tokenAnswers.put(key, up);
        return up;
    }

    /** The service from the request's signature; the operation from the JSON target, the query action, or S3's REST shape. */
    static Call call(HttpExchange ex, byte[] body) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String service = "";
        if (auth != null) {
            Matcher m = SERVICE.matcher(auth);
            if (m.find()) service = m.group(1);
        }
        String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
        if (target != null) return new Call(service, target.substring(target.lastIndexOf('.') + 1));
        Matcher rpc = RPC_V2.matcher(ex.getRequestURI().getPath());
        if (rpc.find()) return new Call(service, rpc.group(1));
        if ("s3".equals(service)) return new Call(service, s3Operation(ex.getRequestMethod(), ex.getRequestURI()));
        String form = new String(body, StandardCharsets.UTF_8);
        Matcher action = ACTION.matcher(form);
        if (action.find()) return new Call(service, action.group(1));
        String query = ex.getRequestURI().getRawQuery();
        if (query != null) {
            Matcher q = ACTION.matcher(URLDecoder.decode(query, StandardCharsets.UTF_8));
            if (q.find()) return new Call(service, q.group(1));
        }
        return new Call(service, ex.getRequestMethod());
    }

    /** S3's REST requests named as the API names them, for the shapes the runner uses. */
    private static String s3Operation(String method, URI uri) {
        String path = uri.getPath() == null ? "/" : uri.getPath();
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        boolean bucketOnly = path.replaceAll("^/+|/+$", "").indexOf('/') < 0 && path.length() > 1;
        String sub = query.isEmpty() ? "" : query.split("[=&]")[0];
        if ("/".equals(path)) return "ListBuckets";
        String noun = bucketOnly ? "Bucket" + capitalize(sub) : "Object" + capitalize(sub);
        return switch (method) {
            case "PUT" -> bucketOnly && sub.isEmpty() ? "CreateBucket" : "Put" + noun;
            case "GET" -> bucketOnly && sub.isEmpty() ? "ListObjects" : "Get" + noun;
            case "HEAD" -> "Head" + noun;
            case "DELETE" -> "Delete" + noun;
            default -> method + noun;
        };
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? "" : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** Answers the injected error; returns its HTTP status. */
    private static int respondError(HttpExchange ex, String service, Fault fault) throws IOException {
        if (fault == Fault.DENIED) return respondDenied(ex, service);
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
        return send(ex, status, type, body);
    }

    /** AWS's refusal of a call the credentials may not make, in each service's wire format. */
    private static int respondDenied(HttpExchange ex, String service) throws IOException {
        String message = "User: arn:aws:iam::123456789012:user/runner is not authorized to perform this action (injected)";
        return switch (service) {
            case "dynamodb" -> send(ex, 400, "application/x-amz-json-1.0",
                    ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#AccessDeniedException\",\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
            case "s3" -> send(ex, 403, "application/xml", ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code><Message>"
                    + message + "</Message></Error>").getBytes(StandardCharsets.UTF_8));
            case "ec2" -> send(ex, 403, "text/xml", ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>"
                    + message + "</Message></Error></Errors><RequestID>fault</RequestID></Response>").getBytes(StandardCharsets.UTF_8));
            default -> send(ex, 403, "text/xml", ("<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>" + message
                    + "</Message></Error><RequestId>fault</RequestId></ErrorResponse>").getBytes(StandardCharsets.UTF_8));
        };
    }

    private static int send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
        ex.close();
        return status;
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
        executor.shutdownNow();
    }
}
