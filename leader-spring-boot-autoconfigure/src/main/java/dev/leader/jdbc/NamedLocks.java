package dev.leader.jdbc;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import dev.leader.election.DaemonThreads;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MariaDB's (and MySQL's) named locks of one backend: every election this backend leads holds
 * its lock on one shared connection (a session holds many named locks since MariaDB 10.0.2 and
 * MySQL 5.7), and at most {@link #WAITERS} followers block in {@code GET_LOCK} at once, each on a
 * thread and connection of its own, so that the threads and connections do not grow with the
 * number of elections. A waiter that gets the lock lets it go at once and wakes its follower:
 * the lock only wakes, the lease row decides, and the next waiter is woken in turn, so every
 * blocked follower of a released election hears of it within milliseconds.
 */
final class NamedLocks implements AutoCloseable {

    /** Followers that block in {@code GET_LOCK} at once, as the local backend bounds its lock threads. */
    static final int WAITERS = 16;

    private static final Logger log = LoggerFactory.getLogger(NamedLocks.class);

    private final String table;

    private final int slackMillis;

    private final HeldConnection leaders;

    /** Lock names the leaders' connection holds; written inside its use(). */
    private final Set<String> held = ConcurrentHashMap.newKeySet();

    private final List<Waiter> all = new ArrayList<>();

    /**
     * Last in, first out: the waiter used last is taken again, so a backend with a few followers
     * keeps a few waiters' connections open, not all sixteen.
     */
    private final BlockingDeque<Waiter> free = new LinkedBlockingDeque<>(WAITERS);

    private final ThreadPoolExecutor threads = new ThreadPoolExecutor(0, WAITERS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
            DaemonThreads.named("leader-jdbc-lock"));

    /** Lock names are server-wide: the database is part of them, known once a connection is open. */
    private volatile String database = "";

    NamedLocks(DataSource dataSource, String table, Duration renewInterval) {
        this.table = table;
        this.slackMillis = (int) Math.max(1, renewInterval.toMillis());
        this.leaders = new HeldConnection(dataSource, "named locks of the leaders", new HeldConnection.Session() {
            @Override
            public void prepare(Connection c) throws SQLException {
                held.clear(); // a new session holds no lock
                learnDatabase(c);
            }

            @Override
            public void reset(Connection c) throws SQLException {
                LeaseStatements.execute(c, "DO RELEASE_ALL_LOCKS()");
            }
        }, slackMillis);
        for (int i = 0; i < WAITERS; i++) {
            Waiter waiter = new Waiter(dataSource, i + 1);
            all.add(waiter);
            free.addLast(waiter);
        }
    }

    /** Opens the leaders' connection, so that a new leader takes its lock at once. */
    void open() throws SQLException {
        leaders.run(c -> {
        });
    }

    /**
     * Takes the lock of {@code election} for its leader unless the leaders' connection holds it,
     * without waiting: a waiter holds another's lock only for an instant, and the next renewal
     * tries again.
     */
    void hold(String election) {
        if (held.contains(lockName(election))) {
            return;
        }
        try {
            leaders.run(c -> {
                String name = lockName(election);
                if (held.contains(name)) {
                    return;
                }
                try (PreparedStatement lock = c.prepareStatement("SELECT GET_LOCK(?, 0)")) {
                    lock.setString(1, name);
                    try (ResultSet row = lock.executeQuery()) {
                        if (row.next() && row.getInt(1) == 1) {
                            held.add(name);
                        }
                    }
                }
                log.debug("{} leading: held={}", name, held.contains(name));
            });
        }
        catch (SQLException ex) {
            log.debug("could not hold the named lock of {}; its followers read once per lease until it is held: {}", election,
                    ex.toString());
        }
    }

    /** Lets the lock of {@code election} go, if the leaders' connection holds it. */
    void letGo(String election) {
        try {
            leaders.run(c -> {
                String name = lockName(election);
                if (held.remove(name)) {
                    try (PreparedStatement unlock = c.prepareStatement("DO RELEASE_LOCK(?)")) {
                        unlock.setString(1, name);
                        unlock.execute();
                    }
                }
            });
        }
        catch (SQLException ex) {
            log.debug("could not release the named lock of {}: {}", election, ex.toString());
        }
    }

    /**
     * Blocks a free waiter in {@code GET_LOCK} for the lock of {@code election}, at most
     * {@code millis}; {@code woken} is told whether the lock was free or released meanwhile (true)
     * or the wait ran out or failed (false).
     *
     * @return the waiter, to abort the wait; null when every waiter is busy
     */
    @Nullable Waiter await(String election, long millis, Woken woken) {
        Waiter waiter = free.pollFirst();
        if (waiter == null) {
            return null;
        }
        try {
            threads.execute(() -> waiter.await(election, millis, woken));
            return waiter;
        }
        catch (RejectedExecutionException ex) {
            free.addFirst(waiter);
            return null;
        }
    }

    @Override
    public void close() {
        threads.shutdown();
        all.forEach(Waiter::abort);
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        all.forEach(Waiter::close);
        leaders.close();
    }

    private String lockName(String election) {
        return NamedLockWait.lockName(database, table, election);
    }

    private void learnDatabase(Connection c) throws SQLException {
        String catalog = c.getCatalog();
        database = catalog == null ? "" : catalog;
    }

    /** What a waiter tells the follower it waited for. */
    @FunctionalInterface
    interface Woken {
        void woken(boolean lockFree);
    }

    /** One connection that blocks in {@code GET_LOCK} for one follower at a time. */
    final class Waiter {

        private final HeldConnection connection;

        Waiter(DataSource dataSource, int number) {
            this.connection = new HeldConnection(dataSource, "lock waiter " + number, new HeldConnection.Session() {
                @Override
                public void prepare(Connection c) throws SQLException {
                    learnDatabase(c);
                }

                @Override
                public void reset(Connection c) throws SQLException {
                    LeaseStatements.execute(c, "DO RELEASE_ALL_LOCKS()");
                }
            }, slackMillis);
        }

        private void await(String election, long millis, Woken woken) {
            AtomicBoolean told = new AtomicBoolean();
            try {
                connection.run(c -> {
                    String name = lockName(election);
                    if (getLock(c, name, millis)) {
                        // Wake first: the follower reads the row while we let the lock go, which
                        // wakes the next follower blocked on it in turn. The new leader takes it.
                        told.set(true);
                        woken.woken(true);
                        letGo(c, name);
                    }
                });
            }
            catch (SQLException ex) {
                log.debug("waiting for the named lock of {} failed: {}", election, ex.toString());
            }
            finally {
                free.addFirst(this);
            }
            if (!told.get()) {
                woken.woken(false);
            }
        }

        private boolean getLock(Connection c, String name, long millis) throws SQLException {
            HeldConnection.setNetworkTimeout(c, (int) Math.min(Integer.MAX_VALUE, millis + slackMillis));
            try (PreparedStatement lock = c.prepareStatement("SELECT GET_LOCK(?, ?)")) {
                lock.setString(1, name);
                lock.setBigDecimal(2, BigDecimal.valueOf(millis, 3));
                try (ResultSet row = lock.executeQuery()) {
                    boolean got = row.next() && row.getInt(1) == 1;
                    log.debug("{} after waiting on it: free={}", name, got);
                    return got;
                }
            }
            finally {
                if (!c.isClosed()) {
                    HeldConnection.setNetworkTimeout(c, slackMillis);
                }
            }
        }

        private void letGo(Connection c, String name) throws SQLException {
            try (PreparedStatement unlock = c.prepareStatement("DO RELEASE_LOCK(?)")) {
                unlock.setString(1, name);
                unlock.execute();
            }
        }

        /** Ends the wait at once, from another thread; the connection opens again on next use. */
        void abort() {
            connection.abort();
        }

        private void close() {
            connection.close();
        }
    }
}
