package dev.leader.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The conditional statements on the lease table, one subclass per dialect. Every decision is
 * taken by the database in one statement, and none on its clock: a grant when the row has no
 * holder, is our own claim, or still shows the {@link Version} the caller watched unchanged for a
 * whole lease on its own monotonic clock (see {@link LeaseObservation}); a renewal or release
 * only while holder, incarnation and token are ours. A grant increments the token in the same
 * statement, every grant, renewal and release the version, and rows are never deleted, so
 * tokens never go back. The expiry column (the database's time + lease) is for people.
 *
 * <p>Each method records {@link System#nanoTime()} just before the statement is sent, the
 * leader's proof, and a lost attempt also when its answer came back: the version it shows was
 * written, by a statement its holder sent, before that receipt.
 */
abstract class LeaseStatements {

    /** Who asks: the election, the candidate and this process's incarnation of it. */
    record Claim(String election, String candidateId, String incarnation) {
    }

    /** One state of a held lease row: its term's token and its version (changed by every write). */
    record Version(long token, long version) {

        /** No version: the takeover condition of a statement that matches none. */
        static final Version NONE = new Version(-1, -1);
    }

    /**
     * What an acquire attempt found.
     *
     * @param granted whether the statement granted us a new term
     * @param token the new term's fencing token, when granted
     * @param holder the holder found, when not granted (null: none)
     * @param found the version found, when not granted
     * @param holderLeaseNanos the lease the holder found renews for, when not granted
     * @param sendNanos when the statement was sent
     * @param receivedNanos when its answer came back
     */
    record Attempt(boolean granted, long token, @Nullable String holder, Version found, long holderLeaseNanos, long sendNanos,
            long receivedNanos) {

        static Attempt granted(long token, long sendNanos) {
            return new Attempt(true, token, null, Version.NONE, 0, sendNanos, System.nanoTime());
        }

        static Attempt lost(@Nullable String holder, Version found, long holderLeaseNanos, long sendNanos) {
            return new Attempt(false, 0, holder, found, holderLeaseNanos, sendNanos, System.nanoTime());
        }
    }

    /**
     * The lease as read: its holder (null: none, or no row), version (token and version -1: no
     * row) and the lease its holder renews for.
     */
    record Lease(@Nullable String holder, Version version, long leaseNanos) {

        boolean exists() {
            return version.version() >= 0;
        }
    }

    /** A term to renew: the claim that holds it and its token. */
    record Held(Claim claim, long token) {
    }

    /** The elections whose terms one statement sent at {@code sendNanos} renewed. */
    record RenewedTerms(Set<String> renewed, long sendNanos) {
    }

    protected final String table;

    protected final long leaseMicros;

    protected LeaseStatements(JdbcBackendSettings settings) {
        this.table = settings.tableName();
        this.leaseMicros = TimeUnit.NANOSECONDS.toMicros(settings.lease().toNanos());
    }

    static LeaseStatements of(JdbcDialect dialect, JdbcBackendSettings settings) {
        return switch (dialect) {
            case POSTGRESQL -> new PostgresStatements(settings);
            case MARIADB -> new MariaDbStatements(settings);
            case H2 -> new H2Statements(settings);
        };
    }

    /** Session settings of a connection the backend holds for its statements. */
    abstract void prepareSession(Connection connection, Duration statementTimeout) throws SQLException;

    /** Undoes {@link #prepareSession} before the connection goes back to a pool. */
    abstract void resetSession(Connection connection) throws SQLException;

    /**
     * One attempt to win a term; grants a new term with a larger token or reports who holds it.
     *
     * @param takeover the version of another's lease that may be taken over (watched unchanged for
     *        a whole lease), or {@link Version#NONE}
     * @param ours the token the row holds under our claim as far as we know, or -1: a row of our
     *        claim is taken again only at this token, so that an acquire the server runs late
     *        (its client gave up on it and acquired again meanwhile) finds the token moved and
     *        changes nothing
     */
    abstract Attempt acquire(Connection connection, Claim claim, Version takeover, long ours) throws SQLException;

    /**
     * Extends the lease of every term of {@code held} that is still ours (holder, incarnation and
     * token), in one statement; the send time is that of the statement that extended them.
     */
    abstract RenewedTerms renewAll(Connection connection, List<Held> held) throws SQLException;

    /** Gives our term up at once; the row and its token stay. */
    abstract boolean release(Connection connection, Claim claim, long token) throws SQLException;

    /** Reads the lease of {@code election}. */
    abstract Lease read(Connection connection, String election) throws SQLException;

    /** Reads the leases of {@code elections}, one statement; an election without a row is left out. */
    final Map<String, Lease> readAll(Connection connection, List<String> elections) throws SQLException {
        try (PreparedStatement read = selectNamed(connection, "name, holder, token, version, lease_micros", elections)) {
            Map<String, Lease> leases = new HashMap<>();
            try (ResultSet row = read.executeQuery()) {
                while (row.next()) {
                    leases.put(row.getString(1), new Lease(row.getString(2), new Version(row.getLong(3), row.getLong(4)),
                            TimeUnit.MICROSECONDS.toNanos(Math.max(0, row.getLong(5)))));
                }
            }
            return leases;
        }
    }

    /**
     * Runs a read of holder, token, version and lease (microseconds) with {@code election} as its
     * one parameter; a missing row has version -1.
     */
    protected static Lease readLease(Connection connection, String sql, String election) throws SQLException {
        try (PreparedStatement read = connection.prepareStatement(sql)) {
            read.setString(1, election);
            try (ResultSet row = read.executeQuery()) {
                if (!row.next()) {
                    return new Lease(null, Version.NONE, 0);
                }
                return new Lease(row.getString(1), new Version(row.getLong(2), row.getLong(3)),
                        TimeUnit.MICROSECONDS.toNanos(Math.max(0, row.getLong(4))));
            }
        }
    }

    /** Binds election, holder, incarnation and token, in that order, from {@code index}. */
    /** A read of {@code columns} of the rows of {@code elections}, one statement, names bound. */
    protected final PreparedStatement selectNamed(Connection connection, String columns, List<String> elections) throws SQLException {
        String names = String.join(", ", Collections.nCopies(elections.size(), "?"));
        PreparedStatement read = connection.prepareStatement("SELECT " + columns + " FROM " + table + " WHERE name IN (" + names + ")");
        try {
            for (int i = 0; i < elections.size(); i++) {
                read.setString(i + 1, elections.get(i));
            }
            return read;
        }
        catch (SQLException ex) {
            read.close();
            throw ex;
        }
    }

    protected static int bindClaim(PreparedStatement statement, int index, Claim claim, long token) throws SQLException {
        statement.setString(index, claim.election());
        statement.setString(index + 1, claim.candidateId());
        statement.setString(index + 2, claim.incarnation());
        statement.setLong(index + 3, token);
        return index + 4;
    }

    protected static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
