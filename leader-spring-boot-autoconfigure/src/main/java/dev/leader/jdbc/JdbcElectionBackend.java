package dev.leader.jdbc;

import java.sql.Connection;
import java.time.Duration;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import dev.leader.election.BackendStatus;
import dev.leader.election.BackendStatusTracker;
import dev.leader.election.InvalidSettingException;
import dev.leader.election.Election;
import dev.leader.election.ElectionBackend;
import dev.leader.election.OpenElections;
import dev.leader.election.SerialLanes;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elects through a relational database the application already has: one lease row per election
 * in one table, decided by conditional statements, never on the database's clock. The backend holds a
 * few connections of its own from the {@link DataSource} (see the package documentation for how
 * many), and never borrows one per statement.
 *
 * <p>The dialect is detected from the first connection unless the settings name it; the backend
 * then fails at once if the database cannot be reached. With a dialect set, a database that is
 * down at start is waited for in the background, as the other backends wait for their servers.
 */
public final class JdbcElectionBackend implements ElectionBackend {

    private static final Logger log = LoggerFactory.getLogger(JdbcElectionBackend.class);

    /**
     * Steps that may run at once. Statements go out one at a time on the one statement
     * connection; more workers let a lane whose step waits for it not hold up the timers.
     */
    static final int LANE_WORKERS = 4;

    private final DataSource dataSource;

    private final JdbcBackendSettings settings;

    private final JdbcDialect dialect;

    private final LeaseStatements sql;

    private final HeldConnection statements;

    private final BackendStatusTracker health = new BackendStatusTracker();

    private final @Nullable PostgresListener listener;

    private final @Nullable NamedLocks namedLocks;

    /** Every election's campaign steps, on a few threads whatever the number of elections. */
    private final SerialLanes lanes = new SerialLanes("leader-jdbc", LANE_WORKERS);

    private final Renewals renewals;

    private final @Nullable RowPoll rowPoll;

    private final AtomicBoolean tableChecked = new AtomicBoolean();

    private final OpenElections<JdbcElection> elections = new OpenElections<>();

    /**
     * @param dataSource the application's DataSource or one of its own; a DataSource that opens
     *        new physical connections keeps the election fully apart from the application's pool
     * @throws IllegalArgumentException for a database the backend does not support
     * @throws IllegalStateException when the dialect must be detected and the database cannot be reached
     */
    public JdbcElectionBackend(DataSource dataSource, JdbcBackendSettings settings) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.settings = Objects.requireNonNull(settings, "settings");
        JdbcDialect detected = settings.dialect();
        boolean reachable = false;
        try (Connection first = dataSource.getConnection()) {
            JdbcDialect found = JdbcDialect.detect(first.getMetaData());
            if (detected != null && detected != found) {
                throw new InvalidSettingException("leader.jdbc.dialect", detected.id(), found.id() + ", the dialect of the database ("
                        + first.getMetaData().getDatabaseProductName() + "), or leave it unset to detect it");
            }
            detected = found;
            prepareTable(first, detected);
            reachable = true;
        }
        catch (SQLException ex) {
            if (detected == null) {
                throw new IllegalStateException("the JDBC leader backend cannot reach the database to detect its dialect ("
                        + ex + "); set leader.jdbc.dialect to start without it", ex);
            }
            log.warn("the database is not reachable yet; elections campaign once it is: {}", ex.toString());
        }
        this.dialect = detected;
        if (reachable) {
            health.connected();
        }
        this.sql = LeaseStatements.of(dialect, settings);
        this.statements = new HeldConnection(dataSource, "statements", new HeldConnection.Session() {
            @Override
            public void prepare(Connection connection) throws SQLException {
                prepareTable(connection, dialect);
                sql.prepareSession(connection, settings.statementTimeout());
            }

            @Override
            public void reset(Connection connection) throws SQLException {
                sql.resetSession(connection);
            }
        }, (int) settings.replyTimeout().toMillis());
        this.listener = dialect == JdbcDialect.POSTGRESQL ? new PostgresListener(dataSource, settings.channel(), settings.lease()) : null;
        this.renewals = new Renewals(statements, sql, health, settings.renewInterval(), lanes);
        this.rowPoll = dialect == JdbcDialect.POSTGRESQL ? null : new RowPoll(statements, sql, settings.renewInterval(), lanes);
        this.namedLocks = dialect == JdbcDialect.MARIADB ? new NamedLocks(dataSource, settings.tableName(), settings.renewInterval()) : null;
    }

    public JdbcBackendSettings settings() {
        return settings;
    }

    /** The dialect in use: the configured one, else the one detected. */
    public JdbcDialect dialect() {
        return dialect;
    }

    /** Fenced writes against this backend's lease table, for the application's own transactions. */
    public JdbcFencing fencing() {
        return new JdbcFencing(settings.tableName(), dialect);
    }

    /** The renewals of the terms this backend leads; for tests. */
    Renewals renewals() {
        return renewals;
    }

    @Override
    public String type() {
        return "jdbc";
    }

    @Override
    public Election election(String name, String candidateId) {
        return elections.open(name, () -> new JdbcElection(name, candidateId, settings, statements, sql, health, lanes.lane(),
                renewals, this::followerWait));
    }

    @Override
    public Duration lease() {
        return settings.lease();
    }

    @Override
    public BackendStatus status() {
        return health.status("the database has not been reached yet");
    }

    @Override
    public void close() {
        elections.closeAll();
        renewals.close();
        if (rowPoll != null) {
            rowPoll.close();
        }
        if (listener != null) {
            listener.close();
        }
        if (namedLocks != null) {
            namedLocks.close();
        }
        lanes.close();
        statements.close();
    }

    private FollowerWait followerWait(String election, String candidateId, Wakeup wakeup, FollowerWait.LeaseHeard leaseHeard) {
        return switch (dialect) {
            case POSTGRESQL -> new NotificationWait(election, candidateId, wakeup, leaseHeard, Objects.requireNonNull(listener));
            case MARIADB -> new NamedLockWait(Objects.requireNonNull(namedLocks), election, wakeup, settings.renewInterval(),
                    polled(election, candidateId, wakeup, leaseHeard));
            case H2 -> polled(election, candidateId, wakeup, leaseHeard);
        };
    }

    private PollingWait polled(String election, String candidateId, Wakeup wakeup, FollowerWait.LeaseHeard leaseHeard) {
        return new PollingWait(election, candidateId, wakeup, leaseHeard, Objects.requireNonNull(rowPoll), settings.renewInterval());
    }

    /** The shared reads of the polled followers' rows; for tests. */
    @Nullable RowPoll rowPoll() {
        return rowPoll;
    }

    /**
     * Creates the table if the settings ask for it, once, on the first connection that works.
     *
     * @throws IllegalStateException when the table does not exist and is not to be created
     */
    private void prepareTable(Connection connection, JdbcDialect dialect) throws SQLException {
        if (tableChecked.get()) {
            return;
        }
        String table = settings.tableName();
        if (LeaseTable.shouldCreate(settings.schemaInitialization(), dialect, connection.getMetaData().getURL())) {
            LeaseTable.create(connection, dialect, table);
        }
        if (!LeaseTable.exists(connection, table)) {
            throw new IllegalStateException("the lease table " + table + " does not exist: create it from "
                    + dialect.schemaResource() + " in the leader jar (with your migrations), or set"
                    + " leader.jdbc.initialize-schema=always (it is " + settings.schemaInitialization().name().toLowerCase(Locale.ROOT) + ")");
        }
        tableChecked.set(true);
    }
}
