package io.datomicgitops.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A real git server over HTTP on loopback: git's own `git http-backend` (CGI) behind the JDK's HTTP server, with
 * Basic authentication that accepts one token, the way GitHub or GitLab accept a personal access token (or none: a
 * null token lets anyone push). It can cut a push mid-pack ({@link #cutPush}): receive-pack gets the commands and
 * half the pack, and the connection drops without an answer, as when a network or a proxy fails during a push.
 */
public final class GitHttpServer implements AutoCloseable {
    private final HttpServer server;
    private final Path basePath;
    private final String token;
    /** Receive-pack requests until the one to cut (0: none). */
    private final java.util.concurrent.atomic.AtomicInteger untilCut = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger cut = new java.util.concurrent.atomic.AtomicInteger();

    private GitHttpServer(HttpServer server, Path basePath, String token) {
        this.server = server;
        this.basePath = basePath;
        this.token = token;
    }

    public static GitHttpServer start(Path basePath, String token) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        GitHttpServer git = new GitHttpServer(server, basePath, token);
        server.createContext("/", git::handle);
        server.start();
        return git;
    }

    /** Cuts the {@code nth} push from now (1: the next one) mid-pack. */
    public void cutPush(int nth) {
        untilCut.set(nth);
    }

    /** Pushes cut so far. */
    public int pushesCut() {
        return cut.get();
    }

    public String url(Path repo) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + basePath.relativize(repo).toString().replace('\\', '/');
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String user = token == null ? "anonymous" : authorizedUser(auth, token);
            if (user == null) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
                ex.sendResponseHeaders(401, -1);
                return;
            }
            ProcessBuilder pb = new ProcessBuilder(List.of("git", "http-backend"));
            Map<String, String> env = pb.environment();
            env.put("GIT_PROJECT_ROOT", basePath.toString());
            env.put("GIT_HTTP_EXPORT_ALL", "1");
            env.put("REMOTE_USER", user);
            env.put("REQUEST_METHOD", ex.getRequestMethod());
            env.put("PATH_INFO", ex.getRequestURI().getPath());
            env.put("QUERY_STRING", ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery());
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            if (type != null) env.put("CONTENT_TYPE", type);
            String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
            if (encoding != null) env.put("HTTP_CONTENT_ENCODING", encoding);
            boolean push = ex.getRequestMethod().equals("POST") && ex.getRequestURI().getPath().endsWith("/git-receive-pack");
            boolean cutThis = push && untilCut.get() > 0 && untilCut.decrementAndGet() == 0;
            Process p = pb.start();
            try (OutputStream stdin = p.getOutputStream(); InputStream body = ex.getRequestBody()) {
                if (cutThis) {
                    byte[] all = body.readAllBytes();
                    int pack = Math.max(0, indexOf(all, "PACK".getBytes(StandardCharsets.US_ASCII)));
                    stdin.write(all, 0, pack + (all.length - pack) / 2);
                } else {
                    body.transferTo(stdin);
                }
            }
            if (cutThis) {
                p.getInputStream().readAllBytes(); // receive-pack reads what came, and fails on the cut pack
                p.waitFor();
                cut.incrementAndGet();
                return; // no answer: the client sees the connection drop
            }
            byte[] out = p.getInputStream().readAllBytes();
            int split = indexOf(out, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            int sepLen = 4;
            if (split < 0) { split = indexOf(out, "\n\n".getBytes(StandardCharsets.US_ASCII)); sepLen = 2; }
            String headers = new String(out, 0, Math.max(split, 0), StandardCharsets.US_ASCII);
            int status = 200;
            for (String h : headers.split("\r?\n")) {
                int c = h.indexOf(':');
                if (c < 0) continue;
                String name = h.substring(0, c).trim();
                String value = h.substring(c + 1).trim();
                if (name.equalsIgnoreCase("Status")) status = Integer.parseInt(value.split(" ")[0]);
                else ex.getResponseHeaders().add(name, value);
            }
            byte[] body = java.util.Arrays.copyOfRange(out, split + sepLen, out.length);
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) ex.getResponseBody().write(body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String authorizedUser(String header, String token) {
        if (header == null || !header.startsWith("Basic ")) return null;
        String decoded = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
        int c = decoded.indexOf(':');
        return c > 0 && decoded.substring(c + 1).equals(token) ? decoded.substring(0, c) : null;
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) if (data[i + j] != pattern[j]) continue outer;
            return i;
        }
        return -1;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
