package dev.leader.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL: acquire is one upsert ({@code INSERT ... ON CONFLICT DO UPDATE ... WHERE}) that
 * also reports, from the same snapshot, who held the lease and for how long. Grants, renewals
 * and releases send their {@code NOTIFY} from the same statement, so a notification exists
 * exactly when the change committed. Times are {@code now()}: the start of the statement's
 * transaction, after the client sent it.
 */
final class PostgresStatements extends LeaseStatements {

    private static final String REMAINING_MICROS = "GREATEST(0, CEIL(EXTRACT(EPOCH FROM (expiry - now())) * 1000000))::bigint";

    private final String channel;

    private final long leaseMillis;

    private final String acquire;

    private final String renew;

    private final String release;

    private final String read;

    PostgresStatements(JdbcBackendSettings settings) {
        super(settings);
        this.channel = settings.channel();
        this.leaseMillis = settings.lease().toMillis();
        this.acquire = """
                WITH found AS (
                    SELECT holder, %2$s AS remaining FROM %1$s WHERE name = ?
                ), won AS (
                    INSERT INTO %1$s AS l (name, holder, incarnation, token, expiry)
                    VALUES (?, ?, ?, 1, now() + ? * INTERVAL '1 microsecond')
                    ON CONFLICT (name) DO UPDATE
                    SET holder = EXCLUDED.holder, incarnation = EXCLUDED.incarnation, token = l.token + 1, expiry = EXCLUDED.expiry
                    WHERE l.holder IS NULL OR l.expiry <= now()
                        OR (l.holder = EXCLUDED.holder AND l.incarnation = EXCLUDED.incarnation)
                    RETURNING l.token
                ), told AS (
                    SELECT pg_notify(?, ?) FROM won
                )
                SELECT (SELECT token FROM won), (SELECT count(*) FROM told), (SELECT holder FROM found), (SELECT remaining FROM found)
                """.formatted(table, REMAINING_MICROS);
        this.renew = """
                WITH renewed AS (
                    UPDATE %s SET expiry = now() + ? * INTERVAL '1 microsecond'
                    WHERE name = ? AND holder = ? AND incarnation = ? AND token = ? AND expiry > now()
                    RETURNING name
                )
                SELECT pg_notify(?, ?) FROM renewed
                """.formatted(table);
        this.release = """
                WITH released AS (
                    UPDATE %s SET holder = NULL, incarnation = NULL, expiry = now()
                    WHERE name = ? AND holder = ? AND incarnation = ? AND token = ?
                    RETURNING name
                )
                SELECT pg_notify(?, ?) FROM released
                """.formatted(table);
        this.read = "SELECT holder, " + REMAINING_MICROS + " FROM " + table + " WHERE name = ?";
    }

    @Override
    void prepareSession(Connection connection, Duration statementTimeout) throws SQLException {
        execute(connection, "SET statement_timeout = " + Math.max(1, statementTimeout.toMillis()));
        execute(connection, "SET application_name = 'leader-election'");
    }

    @Override
    void resetSession(Connection connection) throws SQLException {
        execute(connection, "RESET statement_timeout");
        execute(connection, "RESET application_name");
    }

    @Override
    Attempt acquire(Connection connection, Claim claim) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(acquire)) {
            statement.setString(1, claim.election());
            statement.setString(2, claim.election());
            statement.setString(3, claim.candidateId());
            statement.setString(4, claim.incarnation());
            statement.setLong(5, leaseMicros);
            statement.setString(6, channel);
            statement.setString(7, LeaseNotification.held(claim.election(), leaseMillis, claim.candidateId()));
            long sendNanos = System.nanoTime();
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                long token = row.getLong(1);
                if (!row.wasNull()) {
                    return Attempt.granted(token, sendNanos);
                }
                // Not granted, so the row existed in the statement's snapshot, or another
                // candidate inserted it concurrently (then found is empty: look again soon).
                String holder = row.getString(3);
                long remainingMicros = row.getLong(4);
                return Attempt.lost(holder, holder == null ? 0 : TimeUnit.MICROSECONDS.toNanos(remainingMicros), sendNanos);
            }
        }
    }

    @Override
    Renewal renew(Connection connection, Claim claim, long token) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(renew)) {
            statement.setLong(1, leaseMicros);
            int next = bindClaim(statement, 2, claim, token);
            statement.setString(next, channel);
            statement.setString(next + 1, LeaseNotification.held(claim.election(), leaseMillis, claim.candidateId()));
            long sendNanos = System.nanoTime();
            try (ResultSet rows = statement.executeQuery()) {
                return new Renewal(rows.next(), sendNanos);
            }
        }
    }

    @Override
    boolean release(Connection connection, Claim claim, long token) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(release)) {
            int next = bindClaim(statement, 1, claim, token);
            statement.setString(next, channel);
            statement.setString(next + 1, LeaseNotification.released(claim.election()));
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    @Override
    Lease read(Connection connection, String election) throws SQLException {
        return readLease(connection, read, election);
    }
}
