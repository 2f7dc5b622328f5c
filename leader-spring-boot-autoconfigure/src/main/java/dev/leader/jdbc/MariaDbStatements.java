package dev.leader.jdbc;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * MariaDB (and MySQL): the grant is a conditional {@code UPDATE} that sets the incremented token
 * through {@code LAST_INSERT_ID(expr)}, so that the statement's own reply carries the new token.
 * Times are {@code UTC_TIMESTAMP(6)}, the statement's start in UTC, so that no session time zone
 * (the application's own connections may use any) moves an expiry.
 */
final class MariaDbStatements extends ConditionalUpdateStatements {

    static final String NOW = "UTC_TIMESTAMP(6)";

    private final String take;

    private final String createRow;

    MariaDbStatements(JdbcBackendSettings settings) {
        super(settings, NOW, NOW + " + INTERVAL ? MICROSECOND", "TIMESTAMPDIFF(MICROSECOND, " + NOW + ", expiry)");
        this.take = "UPDATE " + table + " SET holder = ?, incarnation = ?, token = LAST_INSERT_ID(token + 1), expiry = "
                + NOW + " + INTERVAL ? MICROSECOND WHERE name = ? AND (holder IS NULL OR expiry <= " + NOW
                + " OR (holder = ? AND incarnation = ?))";
        this.createRow = "INSERT IGNORE INTO " + table + " (name, holder, incarnation, token, expiry) VALUES (?, NULL, NULL, 0, " + NOW + ")";
    }

    @Override
    void prepareSession(Connection connection, Duration statementTimeout) throws SQLException {
        if (isMariaDb(connection)) {
            execute(connection, "SET SESSION max_statement_time = " + seconds(statementTimeout));
        }
        else {
            // MySQL bounds only reads by time (max_execution_time); a write waits for row locks at most this long.
            execute(connection, "SET SESSION innodb_lock_wait_timeout = " + Math.max(1, (statementTimeout.toMillis() + 999) / 1000));
        }
    }

    @Override
    void resetSession(Connection connection) throws SQLException {
        execute(connection, isMariaDb(connection) ? "SET SESSION max_statement_time = DEFAULT"
                : "SET SESSION innodb_lock_wait_timeout = DEFAULT");
    }

    @Override
    protected @Nullable Long take(Connection connection, Claim claim) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(take, Statement.RETURN_GENERATED_KEYS)) {
            statement.setString(1, claim.candidateId());
            statement.setString(2, claim.incarnation());
            statement.setLong(3, leaseMicros);
            statement.setString(4, claim.election());
            statement.setString(5, claim.candidateId());
            statement.setString(6, claim.incarnation());
            if (statement.executeUpdate() != 1) {
                return null;
            }
            try (ResultSet keys = statement.getGeneratedKeys()) {
                if (keys.next() && keys.getLong(1) > 0) {
                    return keys.getLong(1);
                }
            }
        }
        // A driver that does not report LAST_INSERT_ID(expr) as a generated key: same session, same value.
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery("SELECT LAST_INSERT_ID()")) {
            row.next();
            return row.getLong(1);
        }
    }

    @Override
    protected void createRow(Connection connection, String election) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(createRow)) {
            statement.setString(1, election);
            statement.executeUpdate();
        }
    }

    static boolean isMariaDb(Connection connection) throws SQLException {
        return connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("mariadb");
    }

    /** A duration as decimal seconds, as MariaDB's time limits take them. */
    static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toNanos(), 9).stripTrailingZeros().toPlainString();
    }
}
