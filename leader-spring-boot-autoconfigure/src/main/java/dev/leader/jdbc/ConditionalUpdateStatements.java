package dev.leader.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * Acquire as MariaDB and H2 do it, where an upsert cannot both decide and return the token: a
 * conditional {@code UPDATE} of the election's row grants (and returns the incremented token);
 * when it matched nothing, the lease is read for the follower's watch, and the row is created
 * first if there is none yet.
 */
abstract class ConditionalUpdateStatements extends LeaseStatements {

    private final String renew;

    private final String release;

    private final String read;

    /**
     * @param now the database's current time, in UTC or with its time zone
     * @param expiryInLease the time a lease granted now expires, with one parameter: the lease in
     *        microseconds
     */
    protected ConditionalUpdateStatements(JdbcBackendSettings settings, String now, String expiryInLease) {
        super(settings);
        this.renew = "UPDATE " + table + " SET version = version + 1, lease_micros = ?, expiry = " + expiryInLease
                + " WHERE name = ? AND holder = ? AND incarnation = ? AND token = ?";
        this.release = "UPDATE " + table + " SET holder = NULL, incarnation = NULL, version = version + 1, expiry = " + now
                + " WHERE name = ? AND holder = ? AND incarnation = ? AND token = ?";
        this.read = "SELECT holder, token, version, lease_micros FROM " + table + " WHERE name = ?";
    }

    /**
     * The conditional grant: to a row without holder, with our claim at {@code ours}, or still at
     * {@code takeover}; the new token, or null when it did not match.
     */
    protected abstract @Nullable Long take(Connection connection, Claim claim, Version takeover, long ours) throws SQLException;

    /**
     * Binds holder, incarnation, lease (twice: lease_micros, expiry), election, holder,
     * incarnation, our token, takeover token and version: the parameters of both dialects' take.
     */
    protected final void bindTake(PreparedStatement statement, Claim claim, Version takeover, long ours) throws SQLException {
        statement.setString(1, claim.candidateId());
        statement.setString(2, claim.incarnation());
        statement.setLong(3, leaseMicros);
        statement.setLong(4, leaseMicros);
        statement.setString(5, claim.election());
        statement.setString(6, claim.candidateId());
        statement.setString(7, claim.incarnation());
        statement.setLong(8, ours);
        statement.setLong(9, takeover.token());
        statement.setLong(10, takeover.version());
    }

    /** Inserts the election's row, without holder and with token 0, unless it exists. */
    protected abstract void createRow(Connection connection, String election) throws SQLException;

    @Override
    final Attempt acquire(Connection connection, Claim claim, Version takeover, long ours) throws SQLException {
        for (int round = 0; round < 2; round++) {
            long sendNanos = System.nanoTime();
            Long token = take(connection, claim, takeover, ours);
            if (token != null) {
                return Attempt.granted(token, sendNanos);
            }
            Lease lease = read(connection, claim.election());
            if (lease.exists()) {
                return Attempt.lost(lease.holder(), lease.version(), lease.leaseNanos(), sendNanos);
            }
            createRow(connection, claim.election());
        }
        throw new SQLException("the lease row of election '" + claim.election() + "' vanished again right after it was created");
    }

    @Override
    final Renewal renew(Connection connection, Claim claim, long token) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(renew)) {
            statement.setLong(1, leaseMicros);
            statement.setLong(2, leaseMicros);
            bindClaim(statement, 3, claim, token);
            long sendNanos = System.nanoTime();
            return new Renewal(statement.executeUpdate() == 1, sendNanos);
        }
    }

    @Override
    final boolean release(Connection connection, Claim claim, long token) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(release)) {
            bindClaim(statement, 1, claim, token);
            return statement.executeUpdate() == 1;
        }
    }

    @Override
    final Lease read(Connection connection, String election) throws SQLException {
        return readLease(connection, read, election);
    }
}
