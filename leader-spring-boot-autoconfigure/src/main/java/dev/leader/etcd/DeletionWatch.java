package dev.leader.etcd;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A watch for deletions under a prefix (all of a backend's elections), from a given revision,
 * read as the gateway's stream of JSON lines. Puts are filtered out by etcd, so a new candidate
 * joining wakes nobody. {@link #close()} from another thread ends a blocked {@link #next()}.
 *
 * <p>A watch can die without a word: its member paused or cut off, or its connection forgotten
 * by a firewall, while our keep-alives reach the cluster through other connections. So it
 * asks for progress notifications (etcd sends one on a quiet watch every
 * {@code --experimental-watch-progress-notify-interval}, at most two intervals apart) and is
 * taken for dead after {@link EtcdBackendSettings#watchSilenceLimit()} without a line (its
 * owner calls {@link #checkSilence()} now and then); it ends at once when any call finds its
 * endpoint failing; and it asks the member to end it when the member loses its raft leader.
 * Every such end counts as a failure of its endpoint, so the owner watches again on the next
 * one, from the revision after the last it saw.
 */
final class DeletionWatch implements AutoCloseable {

    /**
     * What one message of the stream brought.
     *
     * @param revision every change up to this revision has been sent on this stream
     * @param created the answer to the create request: the watch is registered from here on
     */
    record Batch(List<String> deletedKeys, boolean compacted, long revision, boolean created) {
    }

    private final EtcdHttp.OpenStream stream;

    private final long silenceLimitNanos;

    private volatile long lastHeardNanos;

    private DeletionWatch(EtcdHttp.OpenStream stream, Duration silenceLimit) {
        this.stream = stream;
        this.silenceLimitNanos = silenceLimit.toNanos();
        this.lastHeardNanos = System.nanoTime();
    }

    /** @param startRevision the first revision to hear of; 0 for changes after now */
    static DeletionWatch open(EtcdHttp http, String prefix, long startRevision, Duration silenceLimit)
            throws IOException, InterruptedException {
        String body = "{\"create_request\":{\"key\":\"" + GatewayJson.base64(prefix) + "\",\"range_end\":\""
                + GatewayJson.base64(EtcdKv.rangeEnd(prefix)) + "\",\"start_revision\":\"" + startRevision
                + "\",\"filters\":[\"NOPUT\"],\"progress_notify\":true}}";
        return new DeletionWatch(http.stream("/v3/watch", body), silenceLimit);
    }

    /**
     * Blocks for the next message. A batch with {@code compacted} means the start revision is
     * gone: the owner must have every follower read again, and watch again from now.
     *
     * @throws IOException when the stream ends, fails, goes silent, carries an error, or was
     *         closed; all but the last count as a failure of its endpoint
     */
    Batch next() throws IOException {
        while (true) {
            String line;
            try {
                line = stream.readLine();
            }
            catch (IOException ex) {
                throw failure(ex);
            }
            if (line == null) {
                throw failure(new IOException("etcd ended the watch stream on " + stream.endpoint()));
            }
            lastHeardNanos = System.nanoTime();
            if (line.isBlank()) {
                continue;
            }
            try {
                return parse(line);
            }
            catch (IOException ex) {
                throw failure(ex);
            }
        }
    }

    private static Batch parse(String line) throws IOException {
        Map<String, Object> message;
        try {
            message = GatewayJson.parseObject(line);
        }
        catch (IllegalArgumentException ex) {
            throw new EtcdException(EtcdException.UNAVAILABLE, "unreadable watch message: " + ex.getMessage());
        }
        if (EtcdException.isStreamError(message)) {
            throw EtcdException.from(200, message);
        }
        Map<String, Object> result = GatewayJson.object(message, "result");
        if (GatewayJson.longOf(result.get("compact_revision")) > 0) {
            return new Batch(List.of(), true, 0, false);
        }
        if (GatewayJson.bool(result, "canceled")) {
            throw new EtcdException(EtcdException.UNAVAILABLE, "etcd canceled the watch: " + result.get("cancel_reason"));
        }
        List<String> deleted = new ArrayList<>();
        long revision = 0;
        List<Map<String, Object>> events = GatewayJson.objects(result, "events");
        for (Map<String, Object> event : events) {
            Map<String, Object> kv = GatewayJson.object(event, "kv");
            revision = Math.max(revision, GatewayJson.longOf(kv.get("mod_revision")));
            if ("DELETE".equals(event.get("type"))) {
                deleted.add(GatewayJson.decode(kv.get("key")));
            }
        }
        if (events.isEmpty()) {
            // A progress notification, or the creation answer: every change up to its header's revision was sent.
            revision = GatewayJson.longOf(GatewayJson.object(result, "header").get("revision"));
        }
        return new Batch(List.copyOf(deleted), false, revision, GatewayJson.bool(result, "created"));
    }

    /** Unless we closed it, an end of the stream is a failure of its endpoint. */
    private IOException failure(IOException ex) {
        if (!stream.isEnded()) {
            stream.endpointFailed(ex);
        }
        return ex;
    }

    /** Ends the stream, as a failure of its endpoint, once it has been silent for longer than progress notifications allow. */
    void checkSilence() {
        long silent = System.nanoTime() - lastHeardNanos;
        if (silent >= silenceLimitNanos && !stream.isEnded()) {
            stream.endpointFailed(new HttpTimeoutException("watch on " + stream.endpoint() + " silent for "
                    + TimeUnit.NANOSECONDS.toMillis(silent) + " ms, longer than etcd's progress notifications allow"));
        }
    }

    boolean isClosed() {
        return stream.isClosed();
    }

    @Override
    public void close() {
        stream.close();
    }
}
