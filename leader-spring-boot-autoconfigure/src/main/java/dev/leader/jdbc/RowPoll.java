package dev.leader.jdbc;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import dev.leader.election.SerialLanes;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the lease rows of the backend's polled followers together from the lanes' timer, one
 * statement per {@link #BATCH} elections per renew interval, where the database does not tell
 * them of a change (H2, and MariaDB's followers beyond its lock waiters): what a follower costs
 * the database at rest does not grow with the number of elections. Each read is handed to its
 * follower as PostgreSQL's notifications are: a holder and version (received now, so written
 * before now) or no holder, which wakes it. Like {@link Renewals}, it blocks the timer while its
 * statement runs, for the same reason.
 */
final class RowPoll implements AutoCloseable {

    /** Rows read by one statement. */
    static final int BATCH = 1_000;

    private static final Logger log = LoggerFactory.getLogger(RowPoll.class);

    private final HeldConnection statements;

    private final LeaseStatements sql;

    private final Map<String, LeaseSubscriber> followers = new ConcurrentHashMap<>();

    private final AtomicLong statementsSent = new AtomicLong();

    private final @Nullable ScheduledFuture<?> ticks;

    RowPoll(HeldConnection statements, LeaseStatements sql, Duration renewInterval, SerialLanes lanes) {
        this.statements = statements;
        this.sql = sql;
        this.ticks = lanes.everyOnTimer(renewInterval, this::tick);
    }

    /** Reads {@code election}'s row for {@code follower} from the next tick on, until {@link #unsubscribe}. */
    void subscribe(String election, LeaseSubscriber follower) {
        followers.put(election, follower);
    }

    void unsubscribe(String election, LeaseSubscriber follower) {
        followers.remove(election, follower);
    }

    /** How many read statements were sent; for tests. */
    long statementsSent() {
        return statementsSent.get();
    }

    private void tick() {
        if (followers.isEmpty()) {
            return;
        }
        List<String> names = new ArrayList<>(followers.keySet());
        for (int from = 0; from < names.size(); from += BATCH) {
            read(names.subList(from, Math.min(names.size(), from + BATCH)));
        }
    }

    private void read(List<String> names) {
        Map<String, LeaseStatements.Lease> leases;
        statementsSent.incrementAndGet();
        try {
            leases = statements.use(c -> sql.readAll(c, names));
        }
        catch (SQLException ex) {
            log.debug("reading {} followed leases failed; each follower still tries at its lease's end: {}", names.size(), ex.toString());
            return;
        }
        long receivedNanos = System.nanoTime();
        for (String name : names) {
            LeaseSubscriber follower = followers.get(name);
            if (follower == null) {
                continue;
            }
            LeaseStatements.Lease lease = leases.get(name);
            String holder = lease == null ? null : lease.holder();
            if (lease == null || holder == null) {
                follower.released();
            }
            else {
                follower.held(holder, lease.version(), lease.leaseNanos() / 1_000_000, receivedNanos);
            }
        }
    }

    @Override
    public void close() {
        if (ticks != null) {
            ticks.cancel(false);
        }
    }
}
