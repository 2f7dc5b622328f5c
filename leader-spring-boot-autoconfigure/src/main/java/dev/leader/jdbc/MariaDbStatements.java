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
 * Expiries (for people) are {@code UTC_TIMESTAMP(6)} + lease, so that no session time zone (the
 * application's own connections may use any) moves them.
 */
final class MariaDbStatements extends ConditionalUpdateStatements {

    static final String NOW = "UTC_TIMESTAMP(6)";

    private final String take;

    private final String createRow;

    MariaDbStatements(JdbcBackendSettings settings) {
        super(settings, NOW, NOW + " + INTERVAL ? MICROSECOND");
        // MariaDB evaluates the WHERE before any assignment, and the assignments left to right.
        this.take = "UPDATE " + table + " SET holder = ?, incarnation = ?, token = LAST_INSERT_ID(token + 1), version = version + 1,"
                + " lease_micros = ?, expiry = " + NOW + " + INTERVAL ? MICROSECOND WHERE name = ? AND (holder IS NULL"
                + " OR (holder = ? AND incarnation = ? AND token = ?) OR (token = ? AND version = ?))";
        this.createRow = "INSERT IGNORE INTO " + table + " (name, holder, incarnation, token, version, lease_micros, expiry)"
                + " VALUES (?, NULL, NULL, 0, 0, 0, " + NOW + ")";
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
    protected @Nullable Long take(Connection connection, Claim claim, Version takeover, long ours) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(take, Statement.RETURN_GENERATED_KEYS)) {
            bindTake(statement, claim, takeover, ours);
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
