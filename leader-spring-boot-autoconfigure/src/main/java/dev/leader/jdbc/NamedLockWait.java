package dev.leader.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * MariaDB's (and MySQL's) wait: the leader holds the election's named lock ({@code GET_LOCK}) on
 * the backend's shared lock connection; a follower has one of the backend's few lock waiters
 * ({@link NamedLocks}) block in {@code GET_LOCK} until the leader releases the lock (after
 * releasing the row) or its connection dies with its process, or until the lease it read would
 * end. When every waiter is busy (more followers than {@link NamedLocks#WAITERS}), the follower
 * waits as H2's do ({@link PollingWait}: its row is read with the others every renew interval)
 * until its next step, which tries for a waiter again. The lock
 * only wakes; the lease row alone decides, so a lock held by a partitioned leader's lingering
 * session costs a follower one read per lease, and a follower woken by a free lock that then
 * lost the row twice in a row reads once per renew interval instead of spinning on a free lock.
 */
final class NamedLockWait implements FollowerWait {

    /** MariaDB's and MySQL's limit on a lock name. */
    static final int MAX_NAME = 64;

    private final NamedLocks locks;

    private final String election;

    private final Wakeup wakeup;

    private final long renewIntervalNanos;

    private final PollingWait polled;

    // ---- the lane's steps only ----

    /** Attempts in a row that lost after a free lock woke us. */
    private int lostAfterLock;

    private volatile boolean wokenByLock;

    /** The number of our last wait handed to a waiter, and of the last one that ended: one at a time. */
    private volatile long waitsStarted;

    private volatile long waitsEnded;

    private volatile NamedLocks.@Nullable Waiter waiter;

    NamedLockWait(NamedLocks locks, String election, Wakeup wakeup, Duration renewInterval, PollingWait polled) {
        this.locks = locks;
        this.election = election;
        this.wakeup = wakeup;
        this.renewIntervalNanos = renewInterval.toNanos();
        this.polled = polled;
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
        locks.open();
    }

    /**
     * A follower that lost the row after a free lock woke it (the race right after a grant,
     * before the leader took its lock) reads again after up to a renew interval.
     */
    @Override
    public long noticeNanos() {
        return renewIntervalNanos;
    }

    @Override
    public void await(long remainingNanos) {
        if (wokenByLock) {
            wokenByLock = false;
            if (++lostAfterLock > 1) {
                wakeup.after(Math.max(1_000_000, Math.min(remainingNanos, renewIntervalNanos)));
                return;
            }
        }
        else {
            lostAfterLock = 0;
        }
        if (waitsStarted != waitsEnded) {
            wakeup.after(remainingNanos); // a waiter still blocks for us, and wakes us first if the lock comes free
            return;
        }
        long waitMillis = Math.max(1, (remainingNanos + 999_999) / 1_000_000);
        long number = waitsStarted + 1;
        NamedLocks.Waiter blocking = locks.await(election, waitMillis, lockFree -> {
            wokenByLock = lockFree;
            waitsEnded = number;
            wakeup.wake();
        });
        if (blocking == null) {
            polled.await(remainingNanos);
            return;
        }
        polled.stopPolling();
        waiter = blocking;
        waitsStarted = number;
    }

    @Override
    public void leading() {
        wokenByLock = false; // the next wait starts counting afresh
        polled.leading();
        locks.hold(election);
    }

    @Override
    public void notLeading() {
        polled.notLeading();
        locks.letGo(election);
    }

    @Override
    public void abort() {
        NamedLocks.Waiter current = waiter;
        if (current != null && waitsStarted != waitsEnded) {
            current.abort();
        }
    }

    @Override
    public void close() {
        polled.close();
    }
}
