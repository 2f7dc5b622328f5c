package dev.leader.election;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a backend knows of its connection, without asking the server.
 *
 * @param reachable whether the last contact succeeded
 * @param unreachableSince when the connection was lost, if it is
 * @param lastError the last error seen, if any
 * @param latency the last measured round trip, if known
 */
public record BackendStatus(boolean reachable, @Nullable Instant unreachableSince,
        @Nullable String lastError, @Nullable Duration latency) {

    public static BackendStatus up(@Nullable Duration latency, @Nullable String lastError) {
        return new BackendStatus(true, null, lastError, latency);
    }

    public static BackendStatus down(Instant since, @Nullable String lastError) {
        return new BackendStatus(false, since, lastError, null);
    }

    /** True when the backend has been unreachable for longer than {@code limit} at {@code now}. */
    public boolean unreachableLongerThan(Duration limit, Instant now) {
        return !reachable && unreachableSince != null
                && Duration.between(unreachableSince, now).compareTo(limit) > 0;
    }
}
