package dev.leader.election;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A backend's account of its connection, kept as calls succeed and fail, so that
 * {@link ElectionBackend#status()} answers without a network round trip. Every backend keeps it
 * the same way: reachable after a success, unreachable from the first failure after one (or from
 * construction, until the first success), the last error kept until replaced.
 */
public final class BackendStatusTracker {

    private volatile @Nullable Instant unreachableSince = Instant.now();

    private volatile @Nullable String lastError;

    private volatile @Nullable Duration latency;

    /** A call that took {@code nanos} round trip succeeded. */
    public void succeeded(long nanos) {
        latency = Duration.ofNanos(nanos);
        unreachableSince = null;
    }

    /** Contact was made, without a round trip worth timing (a connect event). */
    public void connected() {
        unreachableSince = null;
    }

    /** A call failed or the connection was lost; {@code error} says how. */
    public void failed(@Nullable Object error) {
        if (unreachableSince == null) {
            unreachableSince = Instant.now();
        }
        if (error != null) {
            lastError = error instanceof Throwable throwable ? throwable.toString() : error.toString();
        }
    }

    /** An error that does not mean the server is unreachable (a refused request, say). */
    public void error(String error) {
        lastError = error;
    }

    /** Whether the last contact succeeded. */
    public boolean isReachable() {
        return unreachableSince == null;
    }

    /** The status now; {@code whileUnreachable} names the error when none was seen yet. */
    public BackendStatus status(String whileUnreachable) {
        Instant since = unreachableSince;
        if (since == null) {
            return BackendStatus.up(latency, lastError);
        }
        String error = lastError;
        return BackendStatus.down(since, error != null ? error : whileUnreachable);
    }
}
