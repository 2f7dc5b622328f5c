package dev.leader.jdbc;

import java.time.Duration;
import java.time.Instant;
import dev.leader.election.BackendStatus;
import org.jspecify.annotations.Nullable;

/** What the backend knows of the database from its last statements, for {@link BackendStatus}. */
final class BackendHealth {

    private volatile @Nullable Instant unreachableSince;

    private volatile @Nullable String lastError;

    private volatile @Nullable Duration latency;

    BackendHealth(boolean reachable) {
        this.unreachableSince = reachable ? null : Instant.now();
    }

    void succeeded(long roundTripNanos) {
        unreachableSince = null;
        latency = Duration.ofNanos(roundTripNanos);
    }

    /** A statement failed; {@code unreachable} when it broke the connection or none could be opened. */
    void failed(Exception error, boolean unreachable) {
        lastError = error.toString();
        if (unreachable && unreachableSince == null) {
            unreachableSince = Instant.now();
        }
    }

    BackendStatus status() {
        Instant since = unreachableSince;
        return since == null ? BackendStatus.up(latency, lastError) : BackendStatus.down(since, lastError);
    }
}
