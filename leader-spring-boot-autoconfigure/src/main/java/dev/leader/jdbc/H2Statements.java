package dev.leader.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * H2: the grant is a conditional {@code UPDATE} read through {@code FINAL TABLE}, which returns
 * the row as the statement left it. Times are {@code CURRENT_TIMESTAMP}, with time zone: the
 * start of the statement in auto-commit mode (and of the transaction inside one).
 */
final class H2Statements extends ConditionalUpdateStatements {

    static final String NOW = "CURRENT_TIMESTAMP";

    private final String take;

    private final String createRow;

    H2Statements(JdbcBackendSettings settings) {
        super(settings, NOW, "DATEADD(MICROSECOND, ?, " + NOW + ")", "DATEDIFF(MICROSECOND, " + NOW + ", expiry)");
        this.take = "SELECT token FROM FINAL TABLE (UPDATE " + table + " SET holder = ?, incarnation = ?, token = token + 1,"
                + " expiry = DATEADD(MICROSECOND, ?, " + NOW + ") WHERE name = ? AND (holder IS NULL OR expiry <= " + NOW
                + " OR (holder = ? AND incarnation = ?)))";
        this.createRow = "MERGE INTO " + table + " l USING (VALUES CAST(? AS VARCHAR(128))) v(n) ON l.name = v.n"
                + " WHEN NOT MATCHED THEN INSERT (name, holder, incarnation, token, expiry) VALUES (v.n, NULL, NULL, 0, " + NOW + ")";
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
    protected @Nullable Long take(Connection connection, Claim claim) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(take)) {
            statement.setString(1, claim.candidateId());
            statement.setString(2, claim.incarnation());
            statement.setLong(3, leaseMicros);
            statement.setString(4, claim.election());
            statement.setString(5, claim.candidateId());
            statement.setString(6, claim.incarnation());
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
