package dev.leader.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL: acquire is one upsert ({@code INSERT ... ON CONFLICT DO UPDATE ... WHERE}) that
 * also reports, from the same snapshot, who held the lease and its version. Grants, renewals and
 * releases send their {@code NOTIFY} from the same statement, so a notification exists exactly
 * when the change committed, and it carries the new version: followers watch a lease without a
 * query. Expiries are {@code now()} + lease, for people only.
 */
final class PostgresStatements extends LeaseStatements {

    /** The {@code held} payload of {@link LeaseNotification}, from the changed row; one parameter: the lease in ms. */
    private static final String HELD = "format('held %s %s %s %s %s', ?::bigint, token, version, name, holder)";

    private final String channel;

    private final long leaseMillis;

    private final String acquire;

    private final String renewAll;

    private final String release;

    private final String read;

    PostgresStatements(JdbcBackendSettings settings) {
        super(settings);
        this.channel = settings.channel();
        this.leaseMillis = settings.lease().toMillis();
        this.acquire = """
                WITH found AS (
                    SELECT holder, token, version, lease_micros FROM %1$s WHERE name = ?
                ), won AS (
                    INSERT INTO %1$s AS l (name, holder, incarnation, token, version, lease_micros, expiry)
                    VALUES (?, ?, ?, 1, 1, ?, now() + ? * INTERVAL '1 microsecond')
                    ON CONFLICT (name) DO UPDATE
                    SET holder = EXCLUDED.holder, incarnation = EXCLUDED.incarnation, token = l.token + 1,
                        version = l.version + 1, lease_micros = EXCLUDED.lease_micros, expiry = EXCLUDED.expiry
                    WHERE l.holder IS NULL OR (l.holder = EXCLUDED.holder AND l.incarnation = EXCLUDED.incarnation AND l.token = ?)
                        OR (l.token = ? AND l.version = ?)
                    RETURNING l.name, l.holder, l.token, l.version
                ), told AS (
                    SELECT pg_notify(?, %2$s) FROM won
                )
                SELECT (SELECT token FROM won), (SELECT count(*) FROM told),
                    (SELECT holder FROM found), (SELECT token FROM found), (SELECT version FROM found), (SELECT lease_micros FROM found)
                """.formatted(table, HELD);
        this.renewAll = """
                WITH held AS (
                    SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[]) AS h(name, holder, incarnation, token)
                ), renewed AS (
                    UPDATE %s AS l SET version = l.version + 1, lease_micros = ?, expiry = now() + ? * INTERVAL '1 microsecond'
                    FROM held h
                    WHERE l.name = h.name AND l.holder = h.holder AND l.incarnation = h.incarnation AND l.token = h.token
                    RETURNING l.name, l.holder, l.token, l.version
                )
                SELECT name, pg_notify(?, %s) FROM renewed
                """.formatted(table, HELD);
        this.release = """
                WITH released AS (
                    UPDATE %s SET holder = NULL, incarnation = NULL, version = version + 1, expiry = now()
                    WHERE name = ? AND holder = ? AND incarnation = ? AND token = ?
                    RETURNING name
                )
                SELECT pg_notify(?, ?) FROM released
                """.formatted(table);
        this.read = "SELECT holder, token, version, lease_micros FROM " + table + " WHERE name = ?";
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
    Attempt acquire(Connection connection, Claim claim, Version takeover, long ours) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(acquire)) {
            statement.setString(1, claim.election());
            statement.setString(2, claim.election());
            statement.setString(3, claim.candidateId());
            statement.setString(4, claim.incarnation());
            statement.setLong(5, leaseMicros);
            statement.setLong(6, leaseMicros);
            statement.setLong(7, ours);
            statement.setLong(8, takeover.token());
            statement.setLong(9, takeover.version());
            statement.setString(10, channel);
            statement.setLong(11, leaseMillis);
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
                return Attempt.lost(holder, new Version(row.getLong(4), row.getLong(5)),
                        TimeUnit.MICROSECONDS.toNanos(Math.max(0, row.getLong(6))), sendNanos);
            }
        }
    }

    /** One statement for all: the claims go as four arrays, and each renewed row sends its own notification. */
    @Override
    RenewedTerms renewAll(Connection connection, List<Held> held) throws SQLException {
        int size = held.size();
        String[] names = new String[size];
        String[] holders = new String[size];
        String[] incarnations = new String[size];
        Long[] tokens = new Long[size];
        for (int i = 0; i < size; i++) {
            Held term = held.get(i);
            names[i] = term.claim().election();
            holders[i] = term.claim().candidateId();
            incarnations[i] = term.claim().incarnation();
            tokens[i] = term.token();
        }
        try (PreparedStatement statement = connection.prepareStatement(renewAll)) {
            statement.setArray(1, connection.createArrayOf("text", names));
            statement.setArray(2, connection.createArrayOf("text", holders));
            statement.setArray(3, connection.createArrayOf("text", incarnations));
            statement.setArray(4, connection.createArrayOf("bigint", tokens));
            statement.setLong(5, leaseMicros);
            statement.setLong(6, leaseMicros);
            statement.setString(7, channel);
            statement.setLong(8, leaseMillis);
            long sendNanos = System.nanoTime();
            Set<String> renewed = new HashSet<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    renewed.add(rows.getString(1));
                }
            }
            return new RenewedTerms(renewed, sendNanos);
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
