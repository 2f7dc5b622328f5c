package dev.leader.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * Acquire as MariaDB and H2 do it, where an upsert cannot both decide and return the token: a
 * conditional {@code UPDATE} of the election's row grants (and returns the incremented token);
 * when it matched nothing, the lease is read for the follower's wait, and the row is created
 * first if there is none yet.
 */
abstract class ConditionalUpdateStatements extends LeaseStatements {

    protected ConditionalUpdateStatements(JdbcBackendSettings settings) {
        super(settings);
    }

    /** The conditional grant; the new token, or null when it did not match. */
    protected abstract @Nullable Long take(Connection connection, Claim claim) throws SQLException;

    /** Inserts the election's row, without holder and with token 0, unless it exists. */
    protected abstract void createRow(Connection connection, String election) throws SQLException;

    @Override
    final Attempt acquire(Connection connection, Claim claim) throws SQLException {
        for (int round = 0; round < 2; round++) {
            long sendNanos = System.nanoTime();
            Long token = take(connection, claim);
            if (token != null) {
                return Attempt.granted(token, sendNanos);
            }
            Lease lease = read(connection, claim.election());
            if (lease.remainingNanos() >= 0) {
                return Attempt.lost(lease.holder(), lease.remainingNanos(), sendNanos);
            }
            createRow(connection, claim.election());
        }
        throw new SQLException("the lease row of election '" + claim.election() + "' vanished again right after it was created");
    }
}
