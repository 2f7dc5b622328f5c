package dev.leader.jdbc;

import java.sql.SQLException;

/**
 * How a follower of one election waits, per dialect, until the lease may have changed hands,
 * and what a leader keeps for its followers to wait on. Called from the election's lane, except
 * {@link #abort()}, {@link #close()} and {@link #leading()} after a renewal (from the timer);
 * none of it blocks for longer than a statement.
 */
interface FollowerWait extends AutoCloseable {

    /** Makes the wait of one election. */
    @FunctionalInterface
    interface Factory {

        /**
         * @param leaseHeard told when the database announces a grant or renewal to another
         */
        FollowerWait create(String election, String candidateId, Wakeup wakeup, LeaseHeard leaseHeard);
    }

    /** The candidate's handling of a grant or renewal to another, announced by the database. */
    @FunctionalInterface
    interface LeaseHeard {

        /**
         * @return when (monotonic clock) the lease may be taken over if nothing else is heard
         */
        long heard(String holder, LeaseStatements.Version version, long holderLeaseNanos, long receivedNanos);
    }

    /** Opens what the wait needs before the first attempt, so that a new leader takes its hold at once. */
    default void open() throws SQLException {
    }

    /** How long a waiting follower may take to notice a release: how long a yielder stands back. */
    default long noticeNanos() {
        return 0;
    }

    /**
     * Sets the wake-up of the next step after an attempt that lost to another's lease, at most
     * {@code remainingNanos} away: when the version watched may be taken over (a whole lease
     * after it was first seen, on our own clock), or earlier when the lease was released or may
     * have changed. A wait that hears of renewals runs on until a lease after the last one heard
     * of; none ends later, so a crashed leader is taken over in time.
     */
    void await(long remainingNanos);

    /** This candidate leads; called after the grant and after every renewal. Never waits for a lock. */
    default void leading() {
    }

    /** This candidate's term ended or was released. */
    default void notLeading() {
    }

    /** Ends a blocked {@link #await(long)} at once, from another thread. */
    default void abort() {
    }

    @Override
    default void close() {
    }
}
