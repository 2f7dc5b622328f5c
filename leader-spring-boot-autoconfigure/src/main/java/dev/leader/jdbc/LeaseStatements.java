package dev.leader.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The conditional statements on the lease table, one subclass per dialect. Every decision is
 * taken by the database in one statement, on its own clock: a grant when the row has no holder,
 * its expiry has passed or it is our own claim; a renewal or release only while holder,
 * incarnation and token are ours. A grant increments the token in the same statement, and rows
 * are never deleted, so tokens never go back.
 *
 * <p>Each method records {@link System#nanoTime()} just before the statement is sent: the
 * database's expiry is its own clock at the statement's start plus the lease, and that start is
 * after the send, so a belief measured from the send ends before the database's lease does.
 */
abstract class LeaseStatements {

    /** Who asks: the election, the candidate and this process's incarnation of it. */
    record Claim(String election, String candidateId, String incarnation) {
    }

    /**
     * What an acquire attempt found.
     *
     * @param granted whether the statement granted us a new term
     * @param token the new term's fencing token, when granted
     * @param holder the holder found, when not granted (null: none)
     * @param remainingNanos how long the lease found still runs in database time, when not granted
     * @param sendNanos when the statement was sent
     */
    record Attempt(boolean granted, long token, @Nullable String holder, long remainingNanos, long sendNanos) {

        static Attempt granted(long token, long sendNanos) {
            return new Attempt(true, token, null, 0, sendNanos);
        }

        static Attempt lost(@Nullable String holder, long remainingNanos, long sendNanos) {
            return new Attempt(false, 0, holder, remainingNanos, sendNanos);
        }
    }

    /** The lease as read: its holder (null: none, or no row) and how long it still runs. */
    record Lease(@Nullable String holder, long remainingNanos) {
    }

    /** A renewal's outcome; the send time is the new proof when renewed. */
    record Renewal(boolean renewed, long sendNanos) {
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

    /** One attempt to win a term; grants a new term with a larger token or reports who holds it. */
    abstract Attempt acquire(Connection connection, Claim claim) throws SQLException;

    /** Extends our term's lease, if the term is still ours and unexpired. */
    abstract Renewal renew(Connection connection, Claim claim, long token) throws SQLException;

    /** Gives our term up at once; the row and its token stay. */
    abstract boolean release(Connection connection, Claim claim, long token) throws SQLException;

    /** Reads the lease of {@code election}. */
    abstract Lease read(Connection connection, String election) throws SQLException;

    /** Runs a read with {@code election} as its one parameter; a missing row has remaining -1. */
    protected static Lease readLease(Connection connection, String sql, String election) throws SQLException {
        try (PreparedStatement read = connection.prepareStatement(sql)) {
            read.setString(1, election);
            try (ResultSet row = read.executeQuery()) {
                if (!row.next()) {
                    return new Lease(null, -1);
                }
                String holder = row.getString(1);
                return new Lease(holder, holder == null ? 0 : TimeUnit.MICROSECONDS.toNanos(Math.max(0, row.getLong(2))));
            }
        }
    }

    /** Binds election, holder, incarnation and token, in that order, from {@code index}. */
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
