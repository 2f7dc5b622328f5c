package dev.leader.jdbc;

import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * How a follower of one election waits, per dialect, until the lease may have changed hands,
 * and what a leader keeps for its followers to wait on. Called from the election's campaign
 * thread, except {@link #abort()} and {@link #close()}.
 */
interface FollowerWait extends AutoCloseable {

    /** Makes the wait of one election. */
    @FunctionalInterface
    interface Factory {

        /**
         * @param leaderSeen told the holder when the database announces a grant or renewal
         */
        FollowerWait create(String election, String candidateId, Wakeup wakeup, Consumer<String> leaderSeen);
    }

    /** Opens what the wait needs before the first attempt, so that a new leader takes its hold at once. */
    default void open() throws SQLException {
    }

    /** How long a waiting follower may take to notice a release: how long a yielder stands back. */
    default long noticeNanos() {
        return 0;
    }

    /**
     * Waits after an attempt that lost to a lease with {@code remainingNanos} left (database
     * time): until that lease may have ended, or earlier when it was released. Never returns
     * later than the lease's end as last heard of, so a crashed leader is taken over in time.
     */
    void await(long remainingNanos) throws SQLException, InterruptedException;

    /** This candidate leads; called after the grant and after every renewal. May block up to half a renew interval. */
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
