package dev.leader.local;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import dev.leader.election.Backoff;
import org.jspecify.annotations.Nullable;

/**
 * When a lock file's locker tries again after the kernel refused its wait or a hand-off
 * failed: at once when something happened since that may change the answer (a nudge), else
 * after a backoff from 5 ms up to {@link #MAX}.
 */
final class LockRetry {

    /** The longest wait between two attempts. */
    static final Duration MAX = Duration.ofSeconds(1);

    private final Backoff backoff = new Backoff(Duration.ofMillis(5), MAX);

    private final AtomicBoolean nudged = new AtomicBoolean();

    /** Waits before the next attempt, unless nudged since the last one. */
    void pause() {
        long nanos = backoff.next().toNanos();
        if (!nudged.getAndSet(false)) {
            LockSupport.parkNanos(this, nanos);
            nudged.set(false);
        }
    }

    /**
     * Something happened that may let the next attempt succeed: {@code waiter} stops pausing,
     * and the backoff starts over, since the lock may be released a moment after the event (a
     * holder writes its release before unlocking).
     */
    void nudge(@Nullable Thread waiter) {
        if (waiter != null) {
            backoff.reset();
            nudged.set(true);
            LockSupport.unpark(waiter);
        }
    }

    void succeeded() {
        backoff.reset();
    }
}
