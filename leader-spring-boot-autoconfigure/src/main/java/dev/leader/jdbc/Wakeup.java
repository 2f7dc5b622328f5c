package dev.leader.jdbc;

import java.time.Duration;
import java.util.concurrent.Future;
import dev.leader.election.SerialLane;
import org.jspecify.annotations.Nullable;

/**
 * When one election's next campaign step runs on its lane: at once when woken (a yield, a close,
 * an expired lease, a release heard from the database), else when the delay the last step chose
 * has passed. A step clears it before it looks at its state, so that a wake-up between the look
 * and the choice of the next delay is not lost, and a timer set before the clear does nothing.
 * A follower's delay may be pushed back while it runs (a renewal heard from the leader).
 *
 * <p>At most one step is queued at a time: wake-ups while one is queued cost nothing.
 */
final class Wakeup {

    private final SerialLane lane;

    private final Runnable step;

    // Guarded by this.
    private long generation;

    private boolean queued;

    private boolean extensible;

    private boolean extended;

    private long extendedUntilNanos;

    private @Nullable Future<?> timer;

    Wakeup(SerialLane lane, Runnable step) {
        this.lane = lane;
        this.step = step;
    }

    /** Queues the next step at once, unless one is queued already. */
    void wake() {
        synchronized (this) {
            if (queued) {
                return;
            }
            queued = true;
            generation++;
            cancelTimer();
        }
        lane.execute(step);
    }

    /** Lets the current or next extensible delay run at least until {@code untilNanos}, unless woken. */
    synchronized void extendTo(long untilNanos) {
        if (!extended || untilNanos - extendedUntilNanos > 0) {
            extended = true;
            extendedUntilNanos = untilNanos;
        }
    }

    /** Called by the step as it starts: what was queued or timed before now is spent. */
    synchronized void clear() {
        generation++;
        queued = false;
        extended = false;
        extensible = false;
        cancelTimer();
    }

    /** The next step runs after {@code nanos}, or when woken. */
    void after(long nanos) {
        after(nanos, false);
    }

    /** As {@link #after(long)}, but runs on while {@link #extendTo(long)} pushes the end back: a follower's wait. */
    void afterExtensible(long nanos) {
        after(nanos, true);
    }

    private synchronized void after(long nanos, boolean extensible) {
        if (queued) {
            return;
        }
        this.extensible = extensible;
        schedule(generation, Math.max(0, nanos));
    }

    private void schedule(long expected, long nanos) {
        cancelTimer();
        timer = lane.schedule(Duration.ofNanos(nanos), () -> due(expected));
    }

    /** On the lane, when a delay has passed. */
    private void due(long expected) {
        synchronized (this) {
            if (expected != generation || queued) {
                return;
            }
            long left = extendedUntilNanos - System.nanoTime();
            if (extensible && extended && left > 0) {
                schedule(expected, left);
                return;
            }
            queued = true;
        }
        step.run();
    }

    private void cancelTimer() {
        Future<?> current = timer;
        if (current != null) {
            current.cancel(false);
            timer = null;
        }
    }
}
