package dev.leader.etcd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import dev.leader.election.BackendStatus;
import dev.leader.election.BackendStatusTracker;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wire to etcd's v3 JSON gateway: blocking calls and watch streams on the
 * {@link GatewayWire}'s kept-alive connections, read by the calling thread; the calls that must
 * not block a thread (the keep-alive from a timer) on one JDK {@link HttpClient}; the
 * endpoints tried in turn, the auth token fetched on first use and again when etcd rejects it.
 * All calls go to one current endpoint; a call that finds it failing moves every later call to
 * the next and ends the streams open on it, so a watch never waits on a member that the
 * keep-alives have given up on.
 */
final class EtcdHttp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EtcdHttp.class);

    /** gRPC status etcd answers with for an expired or unknown auth token. */
    private static final int UNAUTHENTICATED = 16;

    /**
     * Gateway header that becomes gRPC metadata {@code hasleader=true} (the Go client's
     * {@code WithRequireLeader}): a member that has lost its raft leader refuses the stream, or
     * ends it a few election timeouts later, instead of holding it open with nothing to say.
     */
    private static final String REQUIRE_LEADER = "Grpc-Metadata-hasleader";

    private final EtcdBackendSettings settings;

    /** Blocking calls and watch streams: written and read by the calling thread. */
    private final GatewayWire wire;

    /** Calls that must not block a thread while they wait (the keep-alive). */
    private final HttpClient client;

    private final AtomicInteger endpoint = new AtomicInteger();

    private final Set<OpenStream> openStreams = ConcurrentHashMap.newKeySet();

    private volatile @Nullable String token;

    private final Object authentication = new Object();

    private final BackendStatusTracker status = new BackendStatusTracker();

    EtcdHttp(EtcdBackendSettings settings) {
        this.settings = settings;
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.requestTimeout());
        if (settings.sslContext() != null) {
            builder.sslContext(settings.sslContext());
        }
        this.client = builder.build();
        this.wire = new GatewayWire(settings.sslContext(), settings.requestTimeout());
    }

    /** One unary call; tries each endpoint once before giving up. */
    Map<String, Object> post(String path, String body, Duration timeout) throws IOException, InterruptedException {
        return call(path, body, timeout, false);
    }

    /**
     * One request on a streaming call (a keep-alive), answered by one message: returns its
     * {@code result}. An error object in its place, under any HTTP status, is an error of the
     * member that sent it, and the next endpoint is tried as for a unary call.
     */
    Map<String, Object> postStreamed(String path, String body, Duration timeout) throws IOException, InterruptedException {
        return GatewayJson.object(call(path, body, timeout, true), "result");
    }

    /**
     * {@link #postStreamed} without blocking a thread while it waits: for the keep-alive, sent
     * from a timer. Tries each endpoint once; completes exceptionally with the last failure.
     */
    CompletableFuture<Map<String, Object>> postStreamedAsync(String path, String body, Duration timeout) {
        return postAsync(path, body, timeout, settings.endpoints().size()).thenApply(answer -> GatewayJson.object(answer, "result"));
    }

    /** {@link #post} without blocking a thread while it waits. */
    CompletableFuture<Map<String, Object>> postAsync(String path, String body, Duration timeout) {
        return postAsync(path, body, timeout, settings.endpoints().size());
    }

    private CompletableFuture<Map<String, Object>> postAsync(String path, String body, Duration timeout, int attemptsLeft) {
        // At rest the keep-alive, sent through here, is the backend's only call: the blocking calls'
        // connections that a burst of campaigns opened are let go from here.
        wire.closeIdle();
        int index = endpoint.get();
        URI base = endpointAt(index);
        long start = System.nanoTime();
        return authTokenAsync(base, timeout)
                .thenCompose(auth -> client.sendAsync(request(base, path, body, timeout).build(), HttpResponse.BodyHandlers.ofString()))
                .thenApply(response -> {
                    Map<String, Object> answer = response.statusCode() == 200 ? parse(response.body()) : null;
                    if (answer == null || EtcdException.isStreamError(answer)) {
                        EtcdException error = answer == null ? EtcdException.from(response.statusCode(), response.body())
                                : EtcdException.from(response.statusCode(), answer);
                        if (error.code() == UNAUTHENTICATED) {
                            token = null;
                        }
                        throw new CompletionException(error);
                    }
                    status.succeeded(System.nanoTime() - start);
                    return answer;
                })
                .handle((answer, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.completedFuture(answer);
                    }
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    if (cause instanceof EtcdException etcd && !etcd.unavailable() || !(cause instanceof Exception)) {
                        return CompletableFuture.<Map<String, Object>>failedFuture(cause);
                    }
                    Exception ex = cause instanceof HttpTimeoutException
                            ? new HttpTimeoutException(base + path + " did not answer within " + timeout.toMillis() + " ms")
                            : (Exception) cause;
                    endpointFailed(index, ex);
                    return attemptsLeft > 1 ? postAsync(path, body, timeout, attemptsLeft - 1)
                            : CompletableFuture.<Map<String, Object>>failedFuture(ex);
                })
                .thenCompose(next -> next);
    }

    private CompletableFuture<@Nullable String> authTokenAsync(URI base, Duration timeout) {
        String current = token;
        if (settings.user() == null || current != null) {
            return CompletableFuture.completedFuture(current);
        }
        String body = "{\"name\":\"" + escape(settings.user()) + "\",\"password\":\"" + escape(settings.password()) + "\"}";
        return client.sendAsync(request(base, "/v3/auth/authenticate", body, timeout).build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> {
                    if (response.statusCode() != 200) {
                        throw new CompletionException(EtcdException.from(response.statusCode(), response.body()));
                    }
                    Object fresh = GatewayJson.parseObject(response.body()).get("token");
                    if (fresh == null) {
                        throw new CompletionException(new EtcdException(UNAUTHENTICATED, "etcd returned no auth token for user " + settings.user()));
                    }
                    token = fresh.toString();
                    return token;
                });
    }

    /**
     * Opens a streaming call (a watch) on the current endpoint; the caller reads its lines. The
     * opening is bounded by the request timeout: a member that accepts connections but never
     * answers (paused, black-holed) fails it like any other call.
     */
    OpenStream stream(String path, String body) throws IOException, InterruptedException {
        int index = endpoint.get();
        URI base = endpointAt(index);
        Duration timeout = settings.requestTimeout();
        try {
            String auth = authToken(base, timeout);
            GatewayWire.Streamed response;
            try {
                response = wire.stream(base, path, body, auth, Map.of(REQUIRE_LEADER, "true"), timeout);
            }
            catch (HttpTimeoutException ex) {
                throw new HttpTimeoutException(base + path + " did not open within " + timeout.toMillis() + " ms");
            }
            if (response.status() != 200) {
                String text;
                try (InputStream in = response.body()) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                EtcdException error = EtcdException.from(response.status(), text);
                if (error.code() == UNAUTHENTICATED) {
                    token = null;
                }
                throw error;
            }
            OpenStream opened = new OpenStream(index, response.body());
            openStreams.add(opened);
            if (position(endpoint.get()) != position(index)) {
                // The endpoint failed while this stream was opening: it would be missed by that failure.
                opened.end("etcd endpoint " + base + " failed while the stream was opening");
            }
            return opened;
        }
        catch (IOException ex) {
            endpointFailed(index, ex);
            throw ex;
        }
    }

    /**
     * A call to the endpoint at {@code index} failed, or a stream on it went silent or broke:
     * later calls go to the next endpoint, and every stream open on this one ends, its reader
     * seeing the cause.
     */
    void endpointFailed(int index, Exception cause) {
        failed(cause);
        URI failing = endpointAt(index);
        // Another thread may already have moved on; only move once per failed endpoint.
        if (endpoint.compareAndSet(index, index + 1) && settings.endpoints().size() > 1) {
            log.info("etcd endpoint {} failed, next calls go to {}: {}", failing, endpointAt(index + 1), cause.toString());
        }
        for (OpenStream stream : openStreams) {
            if (position(stream.index) == position(index)) {
                stream.end("etcd endpoint " + failing + " failed: " + cause);
            }
        }
    }

    BackendStatus status() {
        return status.status("no etcd endpoint has answered yet");
    }

    void failed(@Nullable Exception ex) {
        status.failed(ex);
    }

    @Override
    public void close() {
        wire.close();
        // Java 17's HttpClient has no close(); its threads are daemons and die with their last use.
    }

    private Map<String, Object> call(String path, String body, Duration timeout, boolean streamed)
            throws IOException, InterruptedException {
        IOException failure = null;
        List<URI> endpoints = settings.endpoints();
        for (int attempt = 0; attempt < endpoints.size(); attempt++) {
            int index = endpoint.get();
            URI base = endpointAt(index);
            try {
                Map<String, Object> answer = postTo(base, path, body, timeout, true);
                if (streamed && !(answer.get("result") instanceof Map<?, ?>)) {
                    throw new EtcdException(EtcdException.UNAVAILABLE, base + path + " answered without a result: " + answer);
                }
                return answer;
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
            endpointFailed(index, failure);
        }
        throw failure;
    }

    private Map<String, Object> postTo(URI base, String path, String body, Duration timeout, boolean mayAuthenticate)
            throws IOException, InterruptedException {
        String auth = authToken(base, timeout);
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before calling " + base + path);
        }
        long start = System.nanoTime();
        GatewayWire.Answer response;
        try {
            response = wire.post(base, path, body, auth, timeout);
        }
        catch (HttpTimeoutException ex) {
            throw new HttpTimeoutException(base + path + " did not answer within " + timeout.toMillis() + " ms");
        }
        Map<String, Object> answer = response.status() == 200 ? parse(response.body()) : null;
        if (answer == null || EtcdException.isStreamError(answer)) {
            EtcdException error = answer == null ? EtcdException.from(response.status(), response.body())
                    : EtcdException.from(response.status(), answer);
            if (error.code() == UNAUTHENTICATED && auth != null && mayAuthenticate) {
                token = null;
                return postTo(base, path, body, timeout, false);
            }
            throw error;
        }
        status.succeeded(System.nanoTime() - start);
        return answer;
    }

    /** The answer as an object, or null when it is not JSON (then it is an error of that member). */
    private static @Nullable Map<String, Object> parse(String body) {
        try {
            return GatewayJson.parseObject(body);
        }
        catch (IllegalArgumentException ex) {
            return null;
        }
    }

    private @Nullable String authToken(URI base, Duration timeout) throws IOException, InterruptedException {
        if (settings.user() == null) {
            return null;
        }
        String current = token;
        if (current != null) {
            return current;
        }
        // One authentication at a time: etcd checks the password with bcrypt, slow enough that a
        // burst of them from every lane worker and the watch times out on a busy member.
        synchronized (authentication) {
            String won = token;
            return won != null ? won : authenticate(base, timeout);
        }
    }

    private String authenticate(URI base, Duration timeout) throws IOException, InterruptedException {
        String body = "{\"name\":\"" + escape(settings.user()) + "\",\"password\":\"" + escape(settings.password()) + "\"}";
        GatewayWire.Answer response = wire.post(base, "/v3/auth/authenticate", body, null, timeout);
        if (response.status() != 200) {
            throw EtcdException.from(response.status(), response.body());
        }
        Object fresh = GatewayJson.parseObject(response.body()).get("token");
        if (fresh == null) {
            throw new EtcdException(UNAUTHENTICATED, "etcd returned no auth token for user " + settings.user());
        }
        String value = fresh.toString();
        token = value;
        return value;
    }

    private HttpRequest.Builder request(URI base, String path, String body, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(timeout);
        String auth = token;
        if (auth != null) {
            builder.header("Authorization", auth);
        }
        return builder;
    }

    private URI endpointAt(int index) {
        return settings.endpoints().get(position(index));
    }

    private int position(int index) {
        return Math.floorMod(index, settings.endpoints().size());
    }

    private static String escape(@Nullable String raw) {
        return raw == null ? "" : raw.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /**
     * The body of a streaming call, open on one endpoint and read line by line. It ends when its
     * owner closes it, or when its endpoint is found failing (by any call, or by its reader).
     */
    final class OpenStream implements AutoCloseable {

        private final int index;

        private final InputStream body;

        private final BufferedReader lines;

        private volatile @Nullable String endedBecause;

        private volatile boolean closed;

        private OpenStream(int index, InputStream body) {
            this.index = index;
            this.body = body;
            this.lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        }

        URI endpoint() {
            return endpointAt(index);
        }

        /**
         * The next line; null when the member ended the stream.
         *
         * @throws IOException when the stream broke, was closed, or was ended because its
         *         endpoint failed (then with that reason)
         */
        @Nullable String readLine() throws IOException {
            String line;
            try {
                line = lines.readLine();
            }
            catch (IOException ex) {
                throw ended(ex);
            }
            if (line == null && (closed || endedBecause != null)) {
                throw ended(null);
            }
            return line;
        }

        /** Counts a failure of this stream's endpoint: later calls move on, and this stream ends. */
        void endpointFailed(Exception cause) {
            EtcdHttp.this.endpointFailed(index, cause);
        }

        /** Whether its owner closed it; a stream ended by its endpoint's failure is not closed. */
        boolean isClosed() {
            return closed;
        }

        /** Whether it ended, closed by its owner or on a failure of its endpoint. */
        boolean isEnded() {
            return closed || endedBecause != null;
        }

        @Override
        public void close() {
            closed = true;
            openStreams.remove(this);
            closeBody();
        }

        private void end(String why) {
            if (endedBecause == null) {
                endedBecause = why;
            }
            closeBody();
        }

        private IOException ended(@Nullable IOException cause) {
            String why = endedBecause;
            if (closed) {
                return new IOException("stream closed", cause);
            }
            return why != null ? new IOException(why, cause) : cause != null ? cause : new IOException("stream ended");
        }

        private void closeBody() {
            try {
                body.close();
            }
            catch (IOException ex) {
                // Closing is how a stream is cancelled; a failure to close leaves nothing to undo.
            }
        }
    }
}
