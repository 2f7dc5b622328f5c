package dev.leader.etcd;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import dev.leader.election.BackendStatus;
import org.jspecify.annotations.Nullable;

/**
 * The wire to etcd's v3 JSON gateway: one JDK {@link HttpClient} for all elections, the
 * endpoints tried in turn, the auth token fetched on first use and again when etcd rejects it.
 */
final class EtcdHttp implements AutoCloseable {

    /** gRPC status etcd answers with for an expired or unknown auth token. */
    private static final int UNAUTHENTICATED = 16;

    private final EtcdBackendSettings settings;

    private final HttpClient client;

    private final AtomicInteger endpoint = new AtomicInteger();

    private volatile @Nullable String token;

    private volatile @Nullable Instant unreachableSince;

    private volatile @Nullable String lastError;

    private volatile @Nullable Duration latency;

    EtcdHttp(EtcdBackendSettings settings) {
        this.settings = settings;
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.requestTimeout());
        if (settings.sslContext() != null) {
            builder.sslContext(settings.sslContext());
        }
        this.client = builder.build();
    }

    /** One unary call; tries each endpoint once before giving up. */
    Map<String, Object> post(String path, String body, Duration timeout) throws IOException, InterruptedException {
        IOException failure = null;
        List<URI> endpoints = settings.endpoints();
        for (int attempt = 0; attempt < endpoints.size(); attempt++) {
            int index = endpoint.get();
            URI base = endpoints.get(Math.floorMod(index, endpoints.size()));
            try {
                return postTo(base, path, body, timeout, true);
            }
            catch (EtcdException ex) {
                if (!ex.unavailable()) {
                    throw ex;
                }
                failure = ex;
            }
            catch (IOException ex) {
                failure = ex;
            }
            // Another thread may already have moved on; only move once per failed endpoint.
            endpoint.compareAndSet(index, index + 1);
        }
        failed(failure);
        throw failure;
    }

    /** Opens a streaming call (a watch); the caller reads lines and closes the stream to cancel. */
    InputStream stream(String path, String body) throws IOException, InterruptedException {
        List<URI> endpoints = settings.endpoints();
        int index = endpoint.get();
        URI base = endpoints.get(Math.floorMod(index, endpoints.size()));
        try {
            HttpResponse<InputStream> response = client.send(request(base, path, body, null).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                String text;
                try (InputStream in = response.body()) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                throw EtcdException.from(response.statusCode(), text);
            }
            return response.body();
        }
        catch (IOException ex) {
            endpoint.compareAndSet(index, index + 1);
            failed(ex);
            throw ex;
        }
    }

    BackendStatus status() {
        Instant since = unreachableSince;
        return since == null ? BackendStatus.up(latency, lastError) : BackendStatus.down(since, lastError);
    }

    void failed(@Nullable Exception ex) {
        lastError = ex == null ? null : ex.toString();
        if (unreachableSince == null) {
            unreachableSince = Instant.now();
        }
    }

    @Override
    public void close() {
        // Java 17's HttpClient has no close(); its threads are daemons and die with their last use.
    }

    private Map<String, Object> postTo(URI base, String path, String body, Duration timeout, boolean mayAuthenticate)
            throws IOException, InterruptedException {
        String auth = authToken(base, timeout);
        long start = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = client.send(request(base, path, body, timeout).build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (HttpTimeoutException ex) {
            throw new HttpTimeoutException(base + path + " did not answer within " + timeout.toMillis() + " ms");
        }
        if (response.statusCode() != 200) {
            EtcdException error = EtcdException.from(response.statusCode(), response.body());
            if (error.code() == UNAUTHENTICATED && auth != null && mayAuthenticate) {
                token = null;
                return postTo(base, path, body, timeout, false);
            }
            throw error;
        }
        latency = Duration.ofNanos(System.nanoTime() - start);
        unreachableSince = null;
        return Json.parseObject(response.body());
    }

    private @Nullable String authToken(URI base, Duration timeout) throws IOException, InterruptedException {
        if (settings.user() == null) {
            return null;
        }
        String current = token;
        if (current != null) {
            return current;
        }
        String body = "{\"name\":\"" + escape(settings.user()) + "\",\"password\":\"" + escape(settings.password()) + "\"}";
        HttpResponse<String> response = client.send(request(base, "/v3/auth/authenticate", body, timeout).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw EtcdException.from(response.statusCode(), response.body());
        }
        Object fresh = Json.parseObject(response.body()).get("token");
        if (fresh == null) {
            throw new EtcdException(UNAUTHENTICATED, "etcd returned no auth token for user " + settings.user());
        }
        token = fresh.toString();
        return token;
    }

    private HttpRequest.Builder request(URI base, String path, String body, @Nullable Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (timeout != null) {
            builder.timeout(timeout);
        }
        String auth = token;
        if (auth != null) {
            builder.header("Authorization", auth);
        }
        return builder;
    }

    private static String escape(@Nullable String raw) {
        return raw == null ? "" : raw.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
