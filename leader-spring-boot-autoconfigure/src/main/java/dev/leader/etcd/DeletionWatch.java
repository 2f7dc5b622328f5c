package dev.leader.etcd;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A watch for deletions under one election's prefix, from a given revision, read as the
 * gateway's stream of JSON lines. Puts are filtered out by etcd, so a new candidate joining
 * wakes nobody. {@link #close()} from another thread ends a blocked {@link #next()}.
 *
 * <p>A watch can die without a word: its member paused or cut off, or its connection forgotten
 * by a firewall, while our keep-alives reach the cluster through other connections. So it
 * asks for progress notifications (etcd sends one on a quiet watch every
 * {@code --experimental-watch-progress-notify-interval}, at most two intervals apart) and is
 * taken for dead after {@link EtcdBackendSettings#watchSilenceLimit()} without a line; it ends
 * at once when any call finds its endpoint failing; and it asks the member to end it when the
 * member loses its raft leader. Every such end counts as a failure of its endpoint, so the
 * caller reads again and watches again on the next one.
 */
final class DeletionWatch implements AutoCloseable {

    /** What one read of the stream brought. */
    record Batch(List<String> deletedKeys, boolean compacted) {
    }

    private final EtcdHttp.OpenStream stream;

    private final ScheduledExecutorService scheduler;

    private final long silenceLimitNanos;

    private volatile long lastHeardNanos;

    // Guarded by this: the one pending silence check.
    private @Nullable ScheduledFuture<?> silenceCheck;

    private DeletionWatch(EtcdHttp.OpenStream stream, ScheduledExecutorService scheduler, Duration silenceLimit) {
        this.stream = stream;
        this.scheduler = scheduler;
        this.silenceLimitNanos = silenceLimit.toNanos();
        this.lastHeardNanos = System.nanoTime();
    }

    static DeletionWatch open(EtcdHttp http, String prefix, long startRevision, ScheduledExecutorService scheduler,
            Duration silenceLimit) throws IOException, InterruptedException {
        String body = "{\"create_request\":{\"key\":\"" + GatewayJson.base64(prefix) + "\",\"range_end\":\""
                + GatewayJson.base64(EtcdKv.rangeEnd(prefix)) + "\",\"start_revision\":\"" + startRevision
                + "\",\"filters\":[\"NOPUT\"],\"progress_notify\":true}}";
        DeletionWatch watch = new DeletionWatch(http.stream("/v3/watch", body), scheduler, silenceLimit);
        watch.checkSilenceIn(watch.silenceLimitNanos);
        return watch;
    }

    /**
     * Blocks for the next batch of deletions. A batch with {@code compacted} means the start
     * revision is gone: the caller must re-read and watch again from the new revision.
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
            Batch batch;
            try {
                batch = parse(line);
            }
            catch (IOException ex) {
                throw failure(ex);
            }
            if (batch != null) {
                return batch;
            }
        }
    }

    private static @Nullable Batch parse(String line) throws IOException {
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
            return new Batch(List.of(), true);
        }
        if (GatewayJson.bool(result, "canceled")) {
            throw new EtcdException(EtcdException.UNAVAILABLE, "etcd canceled the watch: " + result.get("cancel_reason"));
        }
        List<String> deleted = new ArrayList<>();
        for (Map<String, Object> event : GatewayJson.objects(result, "events")) {
            if ("DELETE".equals(event.get("type"))) {
                deleted.add(GatewayJson.decode(GatewayJson.object(event, "kv").get("key")));
            }
        }
        // Progress notifications and the creation answer carry no events: they only prove the stream lives.
        return deleted.isEmpty() ? null : new Batch(List.copyOf(deleted), false);
    }

    /** Unless we closed it, an end of the stream is a failure of its endpoint. */
    private IOException failure(IOException ex) {
        if (!stream.isEnded()) {
            stream.endpointFailed(ex);
        }
        return ex;
    }

    private void checkSilence() {
        long silent = System.nanoTime() - lastHeardNanos;
        if (silent < silenceLimitNanos) {
            checkSilenceIn(silenceLimitNanos - silent);
            return;
        }
        if (!stream.isEnded()) {
            stream.endpointFailed(new HttpTimeoutException("watch on " + stream.endpoint() + " silent for "
                    + TimeUnit.NANOSECONDS.toMillis(silent) + " ms, longer than etcd's progress notifications allow"));
        }
    }

    private synchronized void checkSilenceIn(long delayNanos) {
        if (stream.isEnded()) {
            return;
        }
        try {
            silenceCheck = scheduler.schedule(this::checkSilence, delayNanos, TimeUnit.NANOSECONDS);
        }
        catch (RejectedExecutionException ex) {
            // The backend is closing: so is this watch.
        }
    }

    boolean isClosed() {
        return stream.isClosed();
    }

    @Override
    public void close() {
        stream.close();
        synchronized (this) {
            ScheduledFuture<?> pending = silenceCheck;
            if (pending != null) {
                pending.cancel(false);
            }
        }
    }
}
