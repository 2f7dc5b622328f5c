package dev.leader.jdbc;

import java.time.Duration;

/**
 * A follower's wait where the database tells it nothing (H2, which has neither notifications nor
 * named locks, and MariaDB's followers beyond its lock waiters): the backend reads the followed
 * rows together every renew interval ({@link RowPoll}), and the follower's next step is timed
 * for when the version it watches may be taken over, pushed back while the reads show new
 * versions, brought forward when one shows the lease released. A release is noticed within a
 * renew interval.
 */
final class PollingWait extends SubscribedWait {

    private final RowPoll poll;

    private final long intervalNanos;

    PollingWait(String election, String candidateId, Wakeup wakeup, LeaseHeard leaseHeard, RowPoll poll, Duration interval) {
        super(election, candidateId, wakeup, leaseHeard);
        this.poll = poll;
        this.intervalNanos = interval.toNanos();
    }

    @Override
    public long noticeNanos() {
        return intervalNanos;
    }

    @Override
    public void await(long remainingNanos) {
        poll.subscribe(election, this);
        wakeup.afterExtensible(remainingNanos);
    }

    /** Reads of the row stop while it is not waited on; the next wait starts them again. */
    void stopPolling() {
        poll.unsubscribe(election, this);
    }

    @Override
    public void leading() {
        stopPolling();
    }

    @Override
    public void notLeading() {
        stopPolling();
    }

    @Override
    public void close() {
        stopPolling();
    }
}
