package io.datomicgitops.testing;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The sandbox's answer to one request a test proxy (FaultProxy, RollbackProxy) passes on, and the two halves of
 * passing it: the request forwarded as it came, the answer relayed back, hop-by-hop headers left out both ways.
 */
record Upstream(int status, Map<String, List<String>> headers, byte[] body) {
    private static final List<String> HOP_BY_HOP = List.of("connection", "keep-alive", "transfer-encoding", "content-length",
            "host", "expect", "upgrade");

    /** The request as the client sent it (the SDK signed the Host header with the proxy's address; moto does not check). */
    static Upstream forward(URI target, HttpExchange ex, byte[] body) throws IOException {
        URI uri = target.resolve(ex.getRequestURI().getRawPath() + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()));
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setRequestMethod(ex.getRequestMethod());
        c.setInstanceFollowRedirects(false);
        c.setConnectTimeout(10_000);
        c.setReadTimeout(120_000);
        ex.getRequestHeaders().forEach((k, vs) -> {
            if (!HOP_BY_HOP.contains(k.toLowerCase())) vs.forEach(v -> c.addRequestProperty(k, v));
        });
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

    /** Answers the exchange with this status, these headers (hop-by-hop ones left out) and this body, and closes it. */
    static void respond(HttpExchange ex, int status, byte[] bytes, Map<String, List<String>> headers) throws IOException {
        headers.forEach((k, vs) -> {
            if (k != null && !HOP_BY_HOP.contains(k.toLowerCase())) vs.forEach(v -> ex.getResponseHeaders().add(k, v));
        });
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, bytes.length == 0 || head ? -1 : bytes.length);
        if (bytes.length > 0 && !head) ex.getResponseBody().write(bytes);
        ex.close();
    }

    /**
     * Answers with this status and headers and a Content-Length of the whole body, sends half the body (an empty
     * body is announced as one byte and none is sent), then drops the connection: the client reads a body cut mid-way.
     */
    static void respondCut(HttpExchange ex, int status, byte[] bytes, Map<String, List<String>> headers) throws IOException {
        headers.forEach((k, vs) -> {
            if (k != null && !HOP_BY_HOP.contains(k.toLowerCase())) vs.forEach(v -> ex.getResponseHeaders().add(k, v));
        });
        ex.sendResponseHeaders(status, Math.max(1, bytes.length));
        ex.getResponseBody().write(bytes, 0, bytes.length / 2);
        ex.getResponseBody().flush();
        ex.close(); // fewer bytes than announced: the server closes the connection
    }
}
