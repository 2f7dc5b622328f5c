package dev.leader.etcd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A watch for deletions under one election's prefix, from a given revision, read as the
 * gateway's stream of JSON lines. Puts are filtered out by etcd, so a new candidate joining
 * wakes nobody. {@link #close()} from another thread ends a blocked {@link #next()}.
 */
final class DeletionWatch implements AutoCloseable {

    /** What one read of the stream brought. */
    record Batch(List<String> deletedKeys, boolean compacted) {
    }

    private final InputStream stream;

    private final BufferedReader lines;

    private volatile boolean closed;

    private DeletionWatch(InputStream stream) {
        this.stream = stream;
        this.lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
    }

    static DeletionWatch open(EtcdHttp http, String prefix, long startRevision) throws IOException, InterruptedException {
        String body = "{\"create_request\":{\"key\":\"" + Json.base64(prefix) + "\",\"range_end\":\""
                + Json.base64(EtcdKv.rangeEnd(prefix)) + "\",\"start_revision\":\"" + startRevision
                + "\",\"filters\":[\"NOPUT\"]}}";
        return new DeletionWatch(http.stream("/v3/watch", body));
    }

    /**
     * Blocks for the next batch of deletions. A batch with {@code compacted} means the start
     * revision is gone: the caller must re-read and watch again from the new revision.
     *
     * @throws IOException when the stream ends or fails, or was closed
     */
    Batch next() throws IOException {
        while (true) {
            String line;
            try {
                line = lines.readLine();
            }
            catch (IOException ex) {
                throw closed ? new IOException("watch closed") : ex;
            }
            if (line == null) {
                throw new IOException(closed ? "watch closed" : "etcd ended the watch stream");
            }
            if (line.isBlank()) {
                continue;
            }
            Batch batch = parse(line);
            if (batch != null) {
                return batch;
            }
        }
    }

    private static @Nullable Batch parse(String line) throws IOException {
        Map<String, Object> message = Json.parseObject(line);
        if (message.containsKey("error")) {
            throw EtcdException.from(500, line);
        }
        Map<String, Object> result = Json.object(message, "result");
        if (Json.longOf(result.get("compact_revision")) > 0) {
            return new Batch(List.of(), true);
        }
        if (Json.bool(result, "canceled")) {
            throw new IOException("etcd canceled the watch: " + result.get("cancel_reason"));
        }
        List<String> deleted = new ArrayList<>();
        for (Map<String, Object> event : Json.objects(result, "events")) {
            if ("DELETE".equals(event.get("type"))) {
                deleted.add(Json.decode(Json.object(event, "kv").get("key")));
            }
        }
        return deleted.isEmpty() ? null : new Batch(List.copyOf(deleted), false);
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        try {
            stream.close();
        }
        catch (IOException ex) {
            // Closing is how a watch is cancelled; a failure to close leaves nothing to undo.
        }
    }
}
