package io.datomicgitops.instances;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The transactor health check over HTTP: 2xx is healthy (Datomic answers 200 or 204), any other answer unhealthy, no
 * answer unreachable. {@code route} maps an instance address to the one to dial (identity on AWS).
 */
public final class HttpHealthProbe implements HealthProbe {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final UnaryOperator<String> route;

    public HttpHealthProbe() {
        this(UnaryOperator.identity());
    }

    public HttpHealthProbe(UnaryOperator<String> route) {
        this.route = route;
    }

    @Override
    public Answer check(String address, int port) {
        if (address == null || address.isBlank()) return Answer.UNREACHABLE;
        String host = route.apply(address);
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/health"))
                    .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() / 100 == 2 ? Answer.HEALTHY : Answer.UNHEALTHY;
        } catch (IOException e) {
            return Answer.UNREACHABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.UNREACHABLE;
        }
    }
}
