package dev.leader.jdbc;

import java.util.concurrent.TimeUnit;

/**
 * What ends a wait of one election's campaign thread: a yield, a close, an expired lease, a
 * release heard from the database. The thread clears it before it looks at its state, so that a
 * wake-up between the look and the wait is not lost. A wait's end may also be pushed back while
 * it runs (a renewal heard from the leader).
 */
final class Wakeup {

    private boolean woken;

    private boolean extended;

    private long extendedUntilNanos;

    synchronized void wake() {
        woken = true;
        notifyAll();
    }

    /** Lets the current or next wait run at least until {@code untilNanos}, unless woken. */
    synchronized void extendTo(long untilNanos) {
        if (!extended || untilNanos - extendedUntilNanos > 0) {
            extended = true;
            extendedUntilNanos = untilNanos;
        }
    }

    synchronized void clear() {
        woken = false;
        extended = false;
    }

    /** Waits until woken, or until {@code nanos} passed. */
    void await(long nanos) throws InterruptedException {
        await(nanos, false);
    }

    /** As {@link #await(long)}, but runs on while {@link #extendTo(long)} pushes the end back: a follower's wait. */
    void awaitExtensible(long nanos) throws InterruptedException {
        await(nanos, true);
    }

    private synchronized void await(long nanos, boolean extensible) throws InterruptedException {
        long end = System.nanoTime() + Math.max(0, nanos);
        while (!woken) {
            long until = extensible && extended && extendedUntilNanos - end > 0 ? extendedUntilNanos : end;
            long left = until - System.nanoTime();
            if (left <= 0) {
                return;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
