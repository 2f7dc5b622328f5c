package dev.leader.jdbc;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MariaDB's (and MySQL's) wait: the leader holds a named lock ({@code GET_LOCK}) on a connection
 * of its own for the election; a follower blocks in {@code GET_LOCK} on its own connection until
 * the leader releases the lock (after releasing the row) or its connection dies with its
 * process, or until the lease it read would end. The lock only wakes; the lease row alone
 * decides, so a lock held by a partitioned leader's lingering session costs a follower one read
 * per lease, and a follower that got the lock but lost the row lets it go at once.
 *
 * <p>One connection per election: a connection can wait on one lock at a time.
 */
final class NamedLockWait implements FollowerWait {

    /** MariaDB's and MySQL's limit on a lock name. */
    static final int MAX_NAME = 64;

    private static final Logger log = LoggerFactory.getLogger(NamedLockWait.class);

    private final HeldConnection connection;

    private final String table;

    private final String election;

    private final Wakeup wakeup;

    private final int slackMillis;

    private final long renewIntervalNanos;

    /** How long a leader waits for its lock while a follower holds it for one attempt: half a renew interval. */
    private final BigDecimal leaderWaitSeconds;

    // Read and written under the connection's lock (inside use()).
    private boolean held;

    /** Attempts in a row that we lost while holding the lock. */
    private int lostWithLock;

    /** Named after the connection's database, which is known once it is open. */
    private String lockName;

    NamedLockWait(DataSource dataSource, String table, String election, Wakeup wakeup, Duration renewInterval) {
        this.table = table;
        this.election = election;
        this.lockName = lockName("", table, election);
        this.wakeup = wakeup;
        this.slackMillis = (int) Math.max(1, renewInterval.toMillis());
        this.renewIntervalNanos = renewInterval.toNanos();
        this.leaderWaitSeconds = BigDecimal.valueOf(renewInterval.toMillis() / 2, 3);
        this.connection = new HeldConnection(dataSource, "lock of " + election, new HeldConnection.Session() {
            @Override
            public void prepare(Connection c) throws SQLException {
                held = false; // a new session holds no lock
                String database = c.getCatalog();
                lockName = lockName(database == null ? "" : database, NamedLockWait.this.table, NamedLockWait.this.election);
            }

            @Override
            public void reset(Connection c) throws SQLException {
                LeaseStatements.execute(c, "DO RELEASE_ALL_LOCKS()");
            }
        }, slackMillis);
    }

    /**
     * The lock of one election. Lock names are server-wide, so the database is part of it:
     * readable when it fits, else a digest of database, table and election.
     */
    static String lockName(String database, String table, String election) {
        String readable = "leader:" + (database.isEmpty() ? "" : database + ".") + table + ":" + election;
        if (readable.length() <= MAX_NAME) {
            return readable;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((database + "/" + table + "/" + election).getBytes(StandardCharsets.UTF_8));
            String name = "leader:" + HexFormat.of().formatHex(digest);
            return name.substring(0, Math.min(MAX_NAME, name.length()));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
        }
    }

    @Override
    public void open() throws SQLException {
        connection.run(c -> {
        });
    }

    /**
     * A follower that lost the row while holding the lock (the race right after a grant, before
     * the leader took its lock) waits up to a renew interval before it reads again.
     */
    @Override
    public long noticeNanos() {
        return renewIntervalNanos;
    }

    @Override
    public void await(long remainingNanos) throws SQLException, InterruptedException {
        boolean gaveUp = connection.use(c -> {
            if (!held) {
                lostWithLock = 0;
                return false;
            }
            // Woken with the lock, but the row went to another: let the leader have the lock. A
            // leader waiting for it gets it before our next GET_LOCK; one that does not take it
            // (a lingering session holds its lease) must not make us spin on a free lock.
            release(c);
            log.debug("{} lost the row while holding the lock ({} in a row); released it", lockName, lostWithLock + 1);
            return ++lostWithLock > 1;
        });
        if (gaveUp) {
            wakeup.await(Math.max(1_000_000, Math.min(remainingNanos, renewIntervalNanos)));
            return;
        }
        long waitMillis = Math.max(1, (remainingNanos + 999_999) / 1_000_000);
        connection.run(c -> {
            HeldConnection.setNetworkTimeout(c, (int) Math.min(Integer.MAX_VALUE, waitMillis + slackMillis));
            try (PreparedStatement lock = c.prepareStatement("SELECT GET_LOCK(?, ?)")) {
                lock.setString(1, lockName);
                lock.setBigDecimal(2, BigDecimal.valueOf(waitMillis, 3));
                try (ResultSet row = lock.executeQuery()) {
                    held = row.next() && row.getInt(1) == 1;
                }
                log.debug("{} after waiting on it: held={}", lockName, held);
            }
            finally {
                if (!c.isClosed()) {
                    HeldConnection.setNetworkTimeout(c, slackMillis);
                }
            }
        });
    }

    @Override
    public void leading() {
        try {
            connection.run(c -> {
                // Held already (we won after waiting on it), or take it now, waiting for a follower
                // that holds it for one attempt; never counted twice. The network timeout (a renew
                // interval) is above the wait.
                try (PreparedStatement lock = c.prepareStatement(
                        "SELECT CASE WHEN IS_USED_LOCK(?) = CONNECTION_ID() THEN 1 ELSE GET_LOCK(?, ?) END")) {
                    lock.setString(1, lockName);
                    lock.setString(2, lockName);
                    lock.setBigDecimal(3, leaderWaitSeconds);
                    try (ResultSet row = lock.executeQuery()) {
                        held = row.next() && row.getInt(1) == 1;
                    }
                }
                log.debug("{} leading: held={}", lockName, held);
            });
        }
        catch (SQLException ex) {
            log.debug("could not hold named lock {}; followers wake once per lease until it is held: {}", lockName, ex.toString());
        }
    }

    @Override
    public void notLeading() {
        try {
            connection.run(c -> {
                if (held) {
                    release(c);
                }
            });
        }
        catch (SQLException ex) {
            log.debug("could not release named lock {}: {}", lockName, ex.toString());
        }
    }

    @Override
    public void abort() {
        connection.abort();
    }

    @Override
    public void close() {
        connection.close();
    }

    private void release(Connection c) throws SQLException {
        held = false;
        try (PreparedStatement unlock = c.prepareStatement("DO RELEASE_LOCK(?)")) {
            unlock.setString(1, lockName);
            unlock.execute();
        }
    }
}
