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
 * Basic authentication that accepts one token, the way GitHub or GitLab accept a personal access token.
 */
public final class GitHttpServer implements AutoCloseable {
    private final HttpServer server;
    private final Path basePath;

    private GitHttpServer(HttpServer server, Path basePath) {
        this.server = server;
        this.basePath = basePath;
    }

    public static GitHttpServer start(Path basePath, String token) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> handle(exchange, basePath, token));
        server.start();
        return new GitHttpServer(server, basePath);
    }

    public String url(Path repo) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + basePath.relativize(repo).toString().replace('\\', '/');
    }

    private static void handle(HttpExchange ex, Path basePath, String token) throws IOException {
        try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String user = authorizedUser(auth, token);
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
            Process p = pb.start();
            try (OutputStream stdin = p.getOutputStream(); InputStream body = ex.getRequestBody()) {
                body.transferTo(stdin);
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
