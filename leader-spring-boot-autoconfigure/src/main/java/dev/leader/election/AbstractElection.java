package dev.leader.election;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine every backend shares. One {@link AtomicReference} holds state, term and
 * known leader; every transition is a compare-and-set, so each grant is followed by exactly one
 * revoke and listeners hear only real changes. Backends report what their server told them
 * through the protected transition methods and implement the hooks.
 */
public abstract class AbstractElection implements Election {

    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    protected final Logger log = LoggerFactory.getLogger(getClass());

    /** {@code [election=…, id=…]}, for every log line. */
    protected final String logPrefix;

    private final String name;

    private final String candidateId;

    private final LeaseDeadline lease;

    private final EventDispatcher events;

    private final AtomicReference<Snapshot> current = new AtomicReference<>(Snapshot.INITIAL);

    private final AtomicBoolean started = new AtomicBoolean();

    private final AtomicReference<@Nullable ScheduledFuture<?>> expiry = new AtomicReference<>();

    protected AbstractElection(String name, String candidateId, LeaseDeadline lease) {
        this.name = ElectionNames.requireValid(name);
        this.candidateId = Objects.requireNonNull(candidateId, "candidateId");
        this.lease = lease;
        this.logPrefix = "[election=" + name + ", id=" + candidateId + "]";
        this.events = new EventDispatcher(name, candidateId);
    }

    private record Snapshot(ElectionState state, @Nullable Leadership leadership, @Nullable String leaderId) {

        static final Snapshot INITIAL = new Snapshot(ElectionState.LATENT, null, null);
    }

    // ---- the public API ----

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String candidateId() {
        return candidateId;
    }

    @Override
    public final void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        if (update(s -> s.state == ElectionState.LATENT ? new Snapshot(ElectionState.FOLLOWER, null, s.leaderId) : s)
                .state != ElectionState.LATENT) {
            return;
        }
        log.debug("{} campaign started", logPrefix);
        onStart();
    }

    @Override
    public final boolean isLeader() {
        return current.get().state == ElectionState.LEADER && lease.isValid() && stillHeld();
    }

    @Override
    public final Optional<Leadership> leadership() {
        Snapshot s = current.get();
        return s.state == ElectionState.LEADER ? Optional.ofNullable(s.leadership) : Optional.empty();
    }

    @Override
    public final Optional<String> leaderId() {
        return Optional.ofNullable(current.get().leaderId);
    }

    @Override
    public final ElectionState state() {
        return current.get().state;
    }

    @Override
    public final Optional<Duration> leaseRemaining() {
        return current.get().state == ElectionState.LEADER ? Optional.of(lease.remaining()) : Optional.empty();
    }

    @Override
    public final void yieldLeadership() {
        Snapshot before = current.get();
        if (before.state == ElectionState.LEADER && before.leadership != null
                && revoke(before.leadership, RevokeReason.YIELDED, ElectionState.FOLLOWER)) {
            onYield(before.leadership);
        }
    }

    @Override
    public final void addListener(ElectionListener listener) {
        events.add(listener);
    }

    @Override
    public final void removeListener(ElectionListener listener) {
        events.remove(listener);
    }

    @Override
    public final void close() {
        Snapshot before = update(s -> new Snapshot(ElectionState.CLOSED, null, null));
        if (before.state == ElectionState.CLOSED) {
            return;
        }
        // Stop believing first, then release: a guarded call that checks isLeader() after this
        // line is refused even while the backend still holds our lease.
        lease.clear();
        cancelExpiry();
        try {
            onClose(before.state == ElectionState.LEADER ? before.leadership : null);
        }
        catch (RuntimeException ex) {
            log.warn("{} release on close failed; the backend lease will expire on its own", logPrefix, ex);
        }
        finally {
            if (before.state == ElectionState.LEADER && before.leadership != null) {
                log.info("{} revoked: {}", logPrefix, RevokeReason.CLOSED);
                events.revoked(before.leadership, RevokeReason.CLOSED);
            }
            events.shutdown();
        }
    }

    /** Waits until every event queued so far has been delivered; after {@link #close()} only. */
    public final boolean awaitEventsDelivered(Duration timeout) throws InterruptedException {
        return events.awaitDrained(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Waits until every event queued so far has been delivered to the listeners, without
     * closing; for a backend that drives transitions on request (the test backend).
     */
    protected final boolean awaitQueuedEventsDelivered(Duration timeout) throws InterruptedException {
        return events.awaitDelivered(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    // ---- transitions, for backends ----

    /**
     * This candidate won a term. The lease runs from {@code confirmedSendNanos}, the send time
     * of the request whose reply proved ownership.
     *
     * @return false if already leading or closed
     */
    protected final boolean grant(long fencingToken, long confirmedSendNanos) {
        Leadership leadership = new Leadership(name, candidateId, fencingToken, Instant.now());
        Snapshot before;
        Snapshot after;
        do {
            before = current.get();
            if (before.state == ElectionState.LEADER || before.state == ElectionState.CLOSED) {
                return false;
            }
            after = new Snapshot(ElectionState.LEADER, leadership, candidateId);
            lease.confirm(confirmedSendNanos);
        }
        while (!current.compareAndSet(before, after));
        scheduleExpiry();
        log.info("{} granted, fencing token {}", logPrefix, fencingToken);
        events.granted(leadership);
        if (!candidateId.equals(before.leaderId)) {
            events.leaderChanged(Optional.of(candidateId));
        }
        return true;
    }

    /** A renewal sent at {@code sendNanos} was confirmed while leading. */
    protected final void renewed(long sendNanos) {
        if (current.get().state == ElectionState.LEADER) {
            lease.confirm(sendNanos);
            scheduleExpiry();
        }
    }

    /**
     * Ends the current term, if {@code term} is still it.
     *
     * @param next {@link ElectionState#FOLLOWER} or {@link ElectionState#DISCONNECTED}
     * @return false if the term had already ended
     */
    protected final boolean revoke(Leadership term, RevokeReason reason, ElectionState next) {
        Snapshot before = current.get();
        if (before.state != ElectionState.LEADER || before.leadership != term) {
            return false;
        }
        if (!current.compareAndSet(before, new Snapshot(next, null, null))) {
            return false;
        }
        lease.clear();
        cancelExpiry();
        log.info("{} revoked: {}", logPrefix, reason);
        events.revoked(term, reason);
        events.leaderChanged(Optional.empty());
        return true;
    }

    /** Ends whatever term is current. */
    protected final boolean revokeCurrent(RevokeReason reason, ElectionState next) {
        Leadership term = current.get().leadership;
        return term != null && revoke(term, reason, next);
    }

    /** The backend says {@code leaderId} leads (null: nobody); only while not leading. */
    protected final void follow(@Nullable String leaderId) {
        Snapshot before;
        Snapshot after;
        do {
            before = current.get();
            if (before.state == ElectionState.CLOSED || before.state == ElectionState.LATENT
                    || before.state == ElectionState.LEADER) {
                return;
            }
            after = new Snapshot(ElectionState.FOLLOWER, null, leaderId);
        }
        while (!current.compareAndSet(before, after));
        if (!Objects.equals(before.leaderId, leaderId)) {
            events.leaderChanged(Optional.ofNullable(leaderId));
        }
    }

    /**
     * The connection is gone. A follower becomes {@link ElectionState#DISCONNECTED}; a leader
     * keeps its term only until its lease deadline, when the watchdog revokes it.
     */
    protected final void disconnected() {
        update(s -> s.state == ElectionState.FOLLOWER ? new Snapshot(ElectionState.DISCONNECTED, null, s.leaderId) : s);
    }

    /** The current term, if leading; for backends to compare with a callback's term. */
    protected final @Nullable Leadership currentTerm() {
        Snapshot s = current.get();
        return s.state == ElectionState.LEADER ? s.leadership : null;
    }

    protected final boolean isClosed() {
        return current.get().state == ElectionState.CLOSED;
    }

    protected final LeaseDeadline lease() {
        return lease;
    }

    // ---- hooks ----

    /** Begin campaigning; must return at once. */
    protected abstract void onStart();

    /** Release {@code term} on the backend and campaign again behind the others. */
    protected abstract void onYield(Leadership term);

    /** Release {@code held} (null when not leading) and stop campaigning. */
    protected abstract void onClose(@Nullable Leadership held);

    /**
     * A last, local check in {@link #isLeader()} for a backend whose hold can vanish without
     * a deadline (a closed file channel). Must be cheap: it runs on every guarded call.
     */
    protected boolean stillHeld() {
        return true;
    }

    /** The lease deadline passed and {@code term} was revoked; campaign again when able. */
    protected void onLeaseExpired(Leadership term) {
    }

    private void scheduleExpiry() {
        if (lease.isUnbounded()) {
            return;
        }
        long delay = lease.deadlineNanos() - System.nanoTime();
        ScheduledFuture<?> next = WATCHDOG.schedule(this::checkExpiry, Math.max(0, delay), TimeUnit.NANOSECONDS);
        ScheduledFuture<?> previous = expiry.getAndSet(next);
        if (previous != null) {
            previous.cancel(false);
        }
    }

    private void cancelExpiry() {
        ScheduledFuture<?> previous = expiry.getAndSet(null);
        if (previous != null) {
            previous.cancel(false);
        }
    }

    private void checkExpiry() {
        Leadership term = currentTerm();
        if (term == null || lease.isValid()) {
            return;
        }
        if (revoke(term, RevokeReason.LEASE_EXPIRED, ElectionState.DISCONNECTED)) {
            try {
                onLeaseExpired(term);
            }
            catch (RuntimeException ex) {
                log.warn("{} re-campaign after lease expiry failed", logPrefix, ex);
            }
        }
    }

    private Snapshot update(UnaryOperator<Snapshot> change) {
        return current.getAndUpdate(change);
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(task, "leader-lease-watchdog");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
