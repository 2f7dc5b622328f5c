package dev.leader.jdbc;

import java.time.Duration;

/**
 * H2's wait: it has neither notifications nor named locks, so a follower reads the lease again
 * every renew interval (or sooner, when the lease it read ends sooner). A release is noticed
 * within one renew interval. Meant for tests and a single host.
 */
final class PollingWait implements FollowerWait {

    private final Wakeup wakeup;

    private final long intervalNanos;

    PollingWait(Wakeup wakeup, Duration interval) {
        this.wakeup = wakeup;
        this.intervalNanos = interval.toNanos();
    }

    @Override
    public long noticeNanos() {
        return intervalNanos;
    }

    @Override
    public void await(long remainingNanos) {
        wakeup.after(Math.min(remainingNanos, intervalNanos));
    }
}
