package dev.leader.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection the backend opens from the {@link DataSource} and keeps, used by one thread at
 * a time, opened again on the next use after it broke. Holding it (rather than borrowing per
 * statement) is what keeps the election independent of the application's pool: a pool that the
 * application's own threads exhaust cannot delay a renewal, and the backend never takes more
 * than the connections it holds. Before the connection goes back to the DataSource (a pool), its
 * session settings are undone.
 */
final class HeldConnection implements AutoCloseable {

    /** What runs on the connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Sets a fresh connection up, and undoes it before the connection is given back. */
    interface Session {

        void prepare(Connection connection) throws SQLException;

        void reset(Connection connection) throws SQLException;
    }

    private static final Logger log = LoggerFactory.getLogger(HeldConnection.class);

    private static final Executor DIRECT = Runnable::run;

    private final DataSource dataSource;

    private final String purpose;

    private final Session session;

    private final int networkTimeoutMillis;

    /**
     * Fair: the backend's lane workers take the statement connection one step after another, and
     * the timer's renewal of every leader must not wait behind more than the steps already waiting.
     */
    private final ReentrantLock lock = new ReentrantLock(true);

    private volatile @Nullable Connection connection;

    private volatile boolean closed;

    /** The network timeout the connection had when it was opened, restored before it is given back. */
    private int originalNetworkTimeout;

    /**
     * @param purpose what the connection is for, in log lines
     * @param networkTimeoutMillis how long the driver waits for a reply from a silent server
     *        before it fails the statement and closes the connection; 0 to leave the driver's
     */
    HeldConnection(DataSource dataSource, String purpose, Session session, int networkTimeoutMillis) {
        this.dataSource = dataSource;
        this.purpose = purpose;
        this.session = session;
        this.networkTimeoutMillis = networkTimeoutMillis;
    }

    /** Work on the connection that returns nothing. */
    @FunctionalInterface
    interface Action {
        void run(Connection connection) throws SQLException;
    }

    /** As {@link #use(Work)}, for work that returns nothing. */
    void run(Action action) throws SQLException {
        use(c -> {
            action.run(c);
            return Boolean.TRUE;
        });
    }

    /**
     * Runs {@code work} on the connection, opening it first if needed. A failure that broke the
     * connection drops it, so that the next use opens a new one.
     */
    <T> T use(Work<T> work) throws SQLException {
        lock.lock();
        try {
            Connection current = open();
            try {
                return work.run(current);
            }
            catch (SQLException ex) {
                if (isBroken(current, ex)) {
                    discard(current);
                }
                throw ex;
            }
        }
        finally {
            lock.unlock();
        }
    }

    /**
     * Ends, from another thread, whatever statement blocks on the connection (a wait for a
     * named lock, a read of notifications): the connection is aborted and opened again on next use.
     */
    void abort() {
        Connection current = connection;
        if (current != null) {
            try {
                current.abort(DIRECT);
            }
            catch (SQLException | RuntimeException ex) {
                log.debug("aborting the {} connection failed: {}", purpose, ex.toString());
            }
        }
    }

    /** Undoes the session settings and gives the connection back; no use after this. */
    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            Connection current = connection;
            connection = null;
            if (current == null) {
                return;
            }
            try {
                if (!current.isClosed()) {
                    session.reset(current);
                    if (networkTimeoutMillis > 0) {
                        setNetworkTimeout(current, originalNetworkTimeout);
                    }
                }
            }
            catch (SQLException ex) {
                log.debug("resetting the {} connection failed: {}", purpose, ex.toString());
            }
            closeQuietly(current);
        }
        finally {
            lock.unlock();
        }
    }

    private Connection open() throws SQLException {
        if (closed) {
            throw new SQLException("the leader election's " + purpose + " connection is closed");
        }
        Connection current = connection;
        if (current != null) {
            return current;
        }
        Connection opened = dataSource.getConnection();
        try {
            if (!opened.getAutoCommit()) {
                opened.setAutoCommit(true);
            }
            if (networkTimeoutMillis > 0) {
                originalNetworkTimeout = opened.getNetworkTimeout();
                setNetworkTimeout(opened, networkTimeoutMillis);
            }
            session.prepare(opened);
        }
        catch (SQLException | RuntimeException ex) {
            closeQuietly(opened);
            throw ex;
        }
        connection = opened;
        log.debug("opened the {} connection", purpose);
        return opened;
    }

    private void discard(Connection broken) {
        connection = null;
        closeQuietly(broken);
        log.debug("dropped the broken {} connection", purpose);
    }

    /**
     * Whether {@code ex} broke the connection, rather than failing one statement (a timeout, a
     * lock wait): the driver closed it, or the SQL state is a connection exception (class 08).
     */
    static boolean isBroken(Connection connection, SQLException ex) {
        try {
            if (connection.isClosed()) {
                return true;
            }
        }
        catch (SQLException closedCheck) {
            return true;
        }
        return isConnectionFailure(ex);
    }

    /** Whether {@code ex} says the connection failed (rather than one statement). */
    static boolean isConnectionFailure(SQLException ex) {
        String state = ex.getSQLState();
        return ex instanceof SQLNonTransientConnectionException || ex instanceof SQLTransientConnectionException
                || ex instanceof SQLRecoverableException || (state != null && state.startsWith("08"));
    }

    /** Sets the driver's wait for a reply; a driver without network timeouts (H2 in memory) is left alone. */
    static void setNetworkTimeout(Connection connection, int millis) throws SQLException {
        try {
            connection.setNetworkTimeout(DIRECT, millis);
        }
        catch (SQLFeatureNotSupportedException ex) {
            log.debug("the driver has no network timeout: {}", ex.toString());
        }
    }

    static void closeQuietly(Connection connection) {
        try {
            connection.close();
        }
        catch (SQLException | RuntimeException ex) {
            log.debug("closing a connection failed: {}", ex.toString());
        }
    }
}
