package dev.leader.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * H2: the grant is a conditional {@code UPDATE} read through {@code FINAL TABLE}, which returns
 * the row as the statement left it. Expiries (for people) are {@code CURRENT_TIMESTAMP} + lease.
 */
final class H2Statements extends ConditionalUpdateStatements {

    static final String NOW = "CURRENT_TIMESTAMP";

    private final String take;

    private final String createRow;

    H2Statements(JdbcBackendSettings settings) {
        super(settings, NOW, "DATEADD(MICROSECOND, ?, " + NOW + ")");
        this.take = "SELECT token FROM FINAL TABLE (UPDATE " + table + " SET holder = ?, incarnation = ?, token = token + 1,"
                + " version = version + 1, lease_micros = ?, expiry = DATEADD(MICROSECOND, ?, " + NOW + ") WHERE name = ?"
                + " AND (holder IS NULL OR (holder = ? AND incarnation = ? AND token = ?) OR (token = ? AND version = ?)))";
        this.createRow = "MERGE INTO " + table + " l USING (VALUES CAST(? AS VARCHAR(128))) v(n) ON l.name = v.n"
                + " WHEN NOT MATCHED THEN INSERT (name, holder, incarnation, token, version, lease_micros, expiry)"
                + " VALUES (v.n, NULL, NULL, 0, 0, 0, " + NOW + ")";
    }

    @Override
    void prepareSession(Connection connection, Duration statementTimeout) throws SQLException {
        long millis = Math.max(1, statementTimeout.toMillis());
        execute(connection, "SET QUERY_TIMEOUT " + millis);
        // A wait for a row lock (a fenced transaction holds it) is bounded by this, not by the query timeout.
        execute(connection, "SET LOCK_TIMEOUT " + millis);
    }

    /** Back to H2's defaults: no query timeout, a lock timeout of one second. */
    @Override
    void resetSession(Connection connection) throws SQLException {
        execute(connection, "SET QUERY_TIMEOUT 0");
        execute(connection, "SET LOCK_TIMEOUT 1000");
    }

    @Override
    protected @Nullable Long take(Connection connection, Claim claim, Version takeover, long ours) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(take)) {
            bindTake(statement, claim, takeover, ours);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getLong(1) : null;
            }
        }
    }

    @Override
    protected void createRow(Connection connection, String election) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(createRow)) {
            statement.setString(1, election);
            statement.executeUpdate();
        }
        catch (SQLException ex) {
            // Another candidate inserted it between our MERGE's look and its insert.
            if (ex.getSQLState() == null || !ex.getSQLState().startsWith("23")) {
                throw ex;
            }
        }
    }
}
