package dev.leader.jdbc;

import dev.leader.jdbc.LeaseStatements.Version;

/**
 * A follower of one election, told what the database showed of its lease without being asked:
 * PostgreSQL's notifications ({@link PostgresListener}), or the backend's shared read of the
 * followed rows ({@link RowPoll}).
 */
interface LeaseSubscriber {

    /** Granted or renewed to {@code holder}, for {@code leaseMillis}, writing {@code version}. */
    void held(String holder, Version version, long leaseMillis, long receivedNanos);

    void released();

    /** Changes may have been missed: read the lease again. */
    void resync();
}
