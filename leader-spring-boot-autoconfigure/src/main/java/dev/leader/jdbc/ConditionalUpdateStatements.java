package dev.leader.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Acquire as MariaDB and H2 do it, where an upsert cannot both decide and return the token: a
 * conditional {@code UPDATE} of the election's row grants (and returns the incremented token);
 * when it matched nothing, the lease is read for the follower's watch, and the row is created
 * first if there is none yet. Renewals of many terms are one {@code UPDATE} and one read of their
 * rows, as neither returns the rows an update changed: a row that still holds our term after the
 * update held it throughout (a token is granted once, and a row that left a term never returns
 * to it), so the update extended it.
 */
abstract class ConditionalUpdateStatements extends LeaseStatements {

    private final String renewSet;

    private final String release;

    private final String read;

    /**
     * @param now the database's current time, in UTC or with its time zone
     * @param expiryInLease the time a lease granted now expires, with one parameter: the lease in
     *        microseconds
     */
    protected ConditionalUpdateStatements(JdbcBackendSettings settings, String now, String expiryInLease) {
        super(settings);
        this.renewSet = "UPDATE " + table + " SET version = version + 1, lease_micros = ?, expiry = " + expiryInLease + " WHERE ";
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
    final RenewedTerms renewAll(Connection connection, List<Held> held) throws SQLException {
        String claims = String.join(" OR ", Collections.nCopies(held.size(), "(name = ? AND holder = ? AND incarnation = ? AND token = ?)"));
        long sendNanos;
        try (PreparedStatement statement = connection.prepareStatement(renewSet + claims)) {
            statement.setLong(1, leaseMicros);
            statement.setLong(2, leaseMicros);
            int next = 3;
            for (Held term : held) {
                next = bindClaim(statement, next, term.claim(), term.token());
            }
            sendNanos = System.nanoTime();
            statement.executeUpdate();
        }
        Set<String> renewed = new HashSet<>();
        try (PreparedStatement read = selectNamed(connection, "name, holder, incarnation, token",
                held.stream().map(term -> term.claim().election()).toList())) {
            Set<Held> ours = new HashSet<>(held);
            try (ResultSet rows = read.executeQuery()) {
                while (rows.next()) {
                    String holder = rows.getString(2);
                    String incarnation = rows.getString(3);
                    if (holder != null && incarnation != null
                            && ours.contains(new Held(new Claim(rows.getString(1), holder, incarnation), rows.getLong(4)))) {
                        renewed.add(rows.getString(1));
                    }
                }
            }
        }
        return new RenewedTerms(renewed, sendNanos);
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
