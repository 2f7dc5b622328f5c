package dev.leader.jdbc;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import dev.leader.election.BackendStatusTracker;
import dev.leader.election.SerialLanes;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The renewals of every term a backend leads, sent together from the lanes' timer: one
 * statement per {@link #BATCH} leaders per renew interval, whatever the number of elections,
 * instead of one per leader. Each term's deadline still comes from the send time of the
 * statement that extended its own row, and a term whose row no longer matched (taken over,
 * released, deleted) is ended. A batch that fails is sent again at the next tick, a quarter of
 * a renew interval later; a term that no batch renewed ends at its deadline.
 *
 * <p>The statement blocks the lanes' timer while it runs. Every statement of the backend goes
 * through its one statement connection, one at a time, so the steps the timer would queue
 * meanwhile would wait for that connection too; on a thread of its own the renewal would wait
 * behind the same steps for the same connection.
 */
final class Renewals implements AutoCloseable {

    /** Leaders renewed by one statement. */
    static final int BATCH = 1_000;

    private static final Logger log = LoggerFactory.getLogger(Renewals.class);

    /** A term this backend leads, told how its renewals went; called on the timer thread. */
    interface Term {

        LeaseStatements.Claim claim();

        long token();

        /** The row still held our term when the statement sent at {@code sendNanos} extended it. */
        void renewed(long sendNanos);

        /** The row no longer holds our term. */
        void lost();
    }

    private final HeldConnection statements;

    private final LeaseStatements sql;

    private final BackendStatusTracker health;

    private final long renewIntervalNanos;

    private final Map<String, Term> terms = new ConcurrentHashMap<>();

    private final AtomicLong statementsSent = new AtomicLong();

    private final @Nullable ScheduledFuture<?> ticks;

    /** When the next batches are due; read and written on the timer only. */
    private long nextDueNanos = System.nanoTime();

    Renewals(HeldConnection statements, LeaseStatements sql, BackendStatusTracker health, Duration renewInterval,
            SerialLanes lanes) {
        this.statements = statements;
        this.sql = sql;
        this.health = health;
        this.renewIntervalNanos = renewInterval.toNanos();
        Duration tick = renewInterval.dividedBy(4);
        this.ticks = lanes.everyOnTimer(tick.isZero() ? Duration.ofMillis(1) : tick, this::tick);
    }

    /** Renews {@code term} with the others from the next batch on, until it is removed. */
    void add(Term term) {
        terms.put(term.claim().election(), term);
    }

    /** Stops renewing {@code term}, if it is still the one of its election. */
    void remove(Term term) {
        terms.remove(term.claim().election(), term);
    }

    /** How many renewal statements were sent; for tests. */
    long statementsSent() {
        return statementsSent.get();
    }

    private void tick() {
        long now = System.nanoTime();
        if (terms.isEmpty() || now - nextDueNanos < 0) {
            return;
        }
        List<Term> due = new ArrayList<>(terms.values());
        boolean allSent = true;
        for (int from = 0; from < due.size(); from += BATCH) {
            allSent &= send(due.subList(from, Math.min(due.size(), from + BATCH)));
        }
        if (allSent) {
            nextDueNanos = now + renewIntervalNanos;
        }
    }

    /** @return false when the statement failed */
    private boolean send(List<Term> batch) {
        LeaseStatements.RenewedTerms outcome;
        statementsSent.incrementAndGet();
        try {
            outcome = statements.use(c -> sql.renewAll(c, batch.stream().map(t -> new LeaseStatements.Held(t.claim(), t.token())).toList()));
        }
        catch (SQLException ex) {
            if (HeldConnection.isConnectionFailure(ex)) {
                health.failed(ex);
            }
            else {
                health.error(ex.toString());
            }
            log.warn("renewal of {} terms failed, retrying until their lease deadlines: {}", batch.size(), ex.toString());
            return false;
        }
        health.succeeded(System.nanoTime() - outcome.sendNanos());
        Set<String> renewed = outcome.renewed();
        for (Term term : batch) {
            if (renewed.contains(term.claim().election())) {
                term.renewed(outcome.sendNanos());
            }
            else {
                term.lost();
            }
        }
        return true;
    }

    @Override
    public void close() {
        if (ticks != null) {
            ticks.cancel(false);
        }
    }
}
