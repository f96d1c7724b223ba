package io.datomicgitops.ensure;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback proxy in front of the sandbox that answers one AWS query-protocol action with a response recorded from
 * AWS (an error the sandbox cannot produce, such as an account quota), and forwards everything else to the sandbox.
 */
final class RecordedErrorProxy implements AutoCloseable {
    private static final Set<String> SKIP = Set.of("host", "connection", "content-length", "expect", "upgrade", "transfer-encoding", "keep-alive");

    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI target;
    private final String action;
    private final int status;
    private final String body;
    final AtomicInteger answered = new AtomicInteger();

    RecordedErrorProxy(URI target, String action, int status, String body) throws IOException {
        this.target = target;
        this.action = action;
        this.status = status;
        this.body = body;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] request = ex.getRequestBody().readAllBytes();
        if (new String(request, StandardCharsets.UTF_8).contains("Action=" + action + "&")) {
            answered.incrementAndGet();
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/xml");
            ex.getResponseHeaders().add("x-amzn-RequestId", "4a2b7a2e-recorded");
            ex.sendResponseHeaders(status, b.length);
            try (OutputStream out = ex.getResponseBody()) { out.write(b); }
            return;
        }
        HttpRequest.Builder fwd = HttpRequest.newBuilder(target.resolve(ex.getRequestURI().toString()))
                .method(ex.getRequestMethod(), request.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(request));
        ex.getRequestHeaders().forEach((k, vs) -> {
            if (!SKIP.contains(k.toLowerCase(Locale.ROOT))) vs.forEach(v -> fwd.header(k, v));
        });
        try {
            HttpResponse<byte[]> r = http.send(fwd.build(), HttpResponse.BodyHandlers.ofByteArray());
            r.headers().map().forEach((k, vs) -> {
                if (!SKIP.contains(k.toLowerCase(Locale.ROOT)) && !k.startsWith(":")) ex.getResponseHeaders().put(k, List.copyOf(vs));
            });
            byte[] b = r.body();
            ex.sendResponseHeaders(r.statusCode(), b.length == 0 ? -1 : b.length);
            if (b.length > 0) try (OutputStream out = ex.getResponseBody()) { out.write(b); }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ex.sendResponseHeaders(502, -1);
        } finally {
            ex.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
