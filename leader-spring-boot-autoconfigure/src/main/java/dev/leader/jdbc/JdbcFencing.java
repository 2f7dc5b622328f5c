package dev.leader.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import dev.leader.election.Leadership;
import org.jspecify.annotations.Nullable;

/**
 * Makes the application's own writes conditional on still holding a term, in the application's
 * own transaction, against the lease table in the same database: the database itself refuses a
 * stale leader's write, which no local belief can guarantee (a leader may pause between its
 * check and its write).
 *
 * <p>Two forms. {@link #assertHolds(Connection, Leadership)}, first in the transaction, locks the
 * lease row in share mode until the transaction ends: a successor's grant (an update of that
 * row) waits until the fenced transaction committed or rolled back, so every write of a term
 * commits before the next term begins. With Spring's {@code JdbcTemplate} inside a
 * {@code @Transactional} method:
 *
 * <pre>{@code
 * jdbcTemplate.execute((ConnectionCallback<Void>) connection -> {
 *     fencing.assertHolds(connection, leadership);
 *     return null;
 * });
 * jdbcTemplate.update("UPDATE invoice SET sent = true WHERE id = ?", id);
 * }</pre>
 *
 * {@link #predicate()} is the same check as SQL to put in a statement's {@code WHERE}, binding
 * election name and fencing token; a statement that updates nothing was fenced off:
 *
 * <pre>{@code
 * jdbcTemplate.update("UPDATE invoice SET sent = true WHERE id = ? AND " + fencing.predicate(),
 *         id, leadership.election(), leadership.fencingToken());
 * }</pre>
 *
 * <p>The lock is the price of the guarantee. While a fenced transaction is open, the leader's
 * own renewals wait for it too (they update the same row): keep fenced transactions shorter than
 * the statement timeout, or renewals fail and are retried, and past the lease the term is lost.
 * No successor is granted before the transaction ends, so no write of the next term can
 * overtake it; a leader process that stops inside a fenced transaction therefore holds the next
 * grant back until its session ends: bound that with PostgreSQL's
 * {@code idle_in_transaction_session_timeout} or MariaDB's {@code idle_transaction_timeout}.
 *
 * <p>The check is the row's token and a holder, never a time: a term is current until a grant
 * replaces its token or a release ends it, and both are updates of the row that the share lock
 * holds back. A jump of the database server's clock, either way, therefore neither refuses a
 * current term's write nor admits a stale one (the expiry column, in the database's time, is not
 * consulted). A write of a leader that stopped believing (its deadline passed) is still accepted
 * until another is granted: no other term exists yet, and the next one begins after it. On H2
 * the predicate form takes no lock (H2 has no share lock in a subquery), while
 * {@code assertHolds} locks the row for update.
 */
public final class JdbcFencing {

    private final String table;

    private final JdbcDialect dialect;

    private final String check;

    public JdbcFencing(String tableName, JdbcDialect dialect) {
        this.table = JdbcBackendSettings.requireValidTableName(tableName);
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.check = "SELECT holder FROM " + table + " WHERE " + condition() + " " + rowLock(dialect, false);
    }

    /**
     * Checks, inside the current transaction of {@code connection}, that {@code term} is still
     * the current term, and keeps the lease row locked in share mode until the transaction ends.
     *
     * @throws StaleFencingTokenException when it is not (roll the transaction back)
     * @throws IllegalStateException when {@code connection} is in auto-commit mode (no
     *         transaction to keep the lock in)
     */
    public void assertHolds(Connection connection, Leadership term) throws SQLException {
        String holder = holds(connection, term.election(), term.fencingToken());
        if (!term.candidateId().equals(holder)) {
            throw new StaleFencingTokenException(term.election(), term.fencingToken());
        }
    }

    /** As {@link #assertHolds(Connection, Leadership)}, for a term known by election and token only. */
    public void assertHolds(Connection connection, String election, long fencingToken) throws SQLException {
        if (holds(connection, election, fencingToken) == null) {
            throw new StaleFencingTokenException(election, fencingToken);
        }
    }

    /**
     * {@code EXISTS (...)}: true while the term of the bound election name (first parameter) and
     * fencing token (second) is current, locking the lease row in share mode where the database
     * allows it in a subquery (PostgreSQL, MariaDB/MySQL).
     */
    public String predicate() {
        return "EXISTS (SELECT 1 FROM " + table + " WHERE " + condition() + rowLock(dialect, true) + ")";
    }

    private static String condition() {
        return "name = ? AND token = ? AND holder IS NOT NULL";
    }

    private static String rowLock(JdbcDialect dialect, boolean inSubquery) {
        return switch (dialect) {
            case POSTGRESQL -> " FOR SHARE";
            case MARIADB -> " LOCK IN SHARE MODE";
            case H2 -> inSubquery ? "" : " FOR UPDATE";
        };
    }

    private @Nullable String holds(Connection connection, String election, long fencingToken) throws SQLException {
        if (connection.getAutoCommit()) {
            throw new IllegalStateException("[election=" + election + "] a fenced write needs a transaction: the lease row stays"
                    + " locked until it ends, and in auto-commit mode it would end with the check");
        }
        try (PreparedStatement statement = connection.prepareStatement(check)) {
            statement.setString(1, election);
            statement.setLong(2, fencingToken);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }
}
