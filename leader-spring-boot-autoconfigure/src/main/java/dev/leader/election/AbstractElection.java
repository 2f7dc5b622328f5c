package dev.leader.election;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine every backend shares. One immutable snapshot holds state, term and known
 * leader; readers ({@link #isLeader()} on every guarded call) read it without a lock. Every
 * transition runs under one lock per election, and queues its events before the lock is
 * released, so listeners hear transitions in the order they happened: each grant is followed
 * by exactly one revoke, and a revoke is never heard before its grant. Backends report what
 * their server told them through the protected transition methods and implement the hooks.
 */
public abstract class AbstractElection implements Election {

    /** How long a yield or close waits for admitted work unless told otherwise ({@code leader.shutdown-timeout}). */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);

    /** How long {@link #close()} waits for listeners to hear the last events. */
    static final Duration CLOSE_DELIVERY_TIMEOUT = Duration.ofSeconds(10);

    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    /** The steps of hand-offs ({@link #trace(String)}), apart from the backends' own logging. */
    static final Logger STEPS = LoggerFactory.getLogger("dev.leader.handoff");

    protected final Logger log = LoggerFactory.getLogger(getClass());

    /** {@code [election=…, id=…]}, for every log line. */
    protected final String logPrefix;

    private final String name;

    private final String candidateId;

    private final LeaseDeadline lease;

    private final EventDispatcher events;

    /** Held for every change of {@link #current} and for queueing its events. */
    private final Object transitions = new Object();

    private volatile Snapshot current = Snapshot.INITIAL;

    /**
     * Held while the campaign starts, is withdrawn or closes, across the state change and the
     * backend's hook, so that the backend hears start, withdraw and close in the order they won.
     */
    private final Object campaignChanges = new Object();

    private final WorkGate work = new WorkGate();

    private volatile Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;

    // Guarded by transitions: the one watchdog of the current term.
    private @Nullable ScheduledFuture<?> expiry;

    protected AbstractElection(String name, String candidateId, LeaseDeadline lease) {
        this.name = ElectionNames.requireValid(name);
        this.candidateId = Objects.requireNonNull(candidateId, "candidateId");
        this.lease = lease;
        this.logPrefix = logPrefix(name, candidateId);
        this.events = new EventDispatcher(logPrefix, this::lapsed);
    }

    /** The {@code [election=…, id=…]} prefix of every log line about one candidate. */
    public static String logPrefix(String election, String candidateId) {
        return "[election=" + election + ", id=" + candidateId + "]";
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
        synchronized (campaignChanges) {
            boolean again;
            synchronized (transitions) {
                ElectionState state = current.state;
                if (state != ElectionState.LATENT && state != ElectionState.WITHDRAWN) {
                    return;
                }
                again = state == ElectionState.WITHDRAWN;
                current = new Snapshot(ElectionState.FOLLOWER, null, current.leaderId);
            }
            if (again) {
                log.info("{} campaigning again after a withdrawal", logPrefix);
                onRejoin();
            }
            else {
                log.debug("{} campaign started", logPrefix);
                onStart();
            }
        }
    }

    @Override
    public final boolean isLeader() {
        return current.state == ElectionState.LEADER && lease.isValid() && stillHeld();
    }

    /** Whether {@code term} is the current term and its lease deadline has passed. */
    private boolean lapsed(Leadership term) {
        Snapshot s = current;
        return s.state == ElectionState.LEADER && s.leadership == term && !lease.isUnbounded() && !lease.isValid();
    }

    @Override
    public final Optional<Leadership> leadership() {
        Snapshot s = current;
        return s.state == ElectionState.LEADER ? Optional.ofNullable(s.leadership) : Optional.empty();
    }

    @Override
    public final Optional<String> leaderId() {
        return Optional.ofNullable(current.leaderId);
    }

    @Override
    public final ElectionState state() {
        return current.state;
    }

    @Override
    public final Optional<Duration> leaseRemaining() {
        return current.state == ElectionState.LEADER ? Optional.of(lease.remaining()) : Optional.empty();
    }

    @Override
    public final Optional<Admission> admit() {
        Leadership term = tryAdmit();
        return term != null ? Optional.of(new Admission(term, work)) : Optional.empty();
    }

    /**
     * {@link #admit()} without the {@link Admission} and the {@link Optional}, for a caller that
     * counts its own work, as the {@code @LeaderOnly} guard does on every call: the term the
     * work is admitted under, or null when it is not. After a non-null answer, call
     * {@link #endAdmitted()} exactly once when the work ends, whatever its outcome; a voluntary
     * release waits for it as for an open admission. Work that must be told to stop on a release
     * ({@link Admission#onRelease}) needs {@link #admit()}.
     */
    public final @Nullable Leadership tryAdmit() {
        Leadership term = currentTerm();
        if (term == null || !isLeader() || !work.enter(term)) {
            return null;
        }
        return term;
    }

    /** The work admitted by a non-null {@link #tryAdmit()} ended: a waiting release may proceed. */
    public final void endAdmitted() {
        work.exit();
    }

    @Override
    public final void stopAdmitting() {
        work.shut();
    }

    @Override
    public final void setDrainTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("drain timeout must be zero or more: " + timeout);
        }
        this.drainTimeout = timeout;
    }

    @Override
    public final void yieldLeadership() {
        Leadership term = currentTerm();
        if (term == null) {
            return;
        }
        drain(term);
        if (revoke(term, RevokeReason.YIELDED, ElectionState.FOLLOWER)) {
            onYield(term);
        }
    }

    /**
     * Drains the term if leading, then moves to {@link ElectionState#WITHDRAWN} (revoking the term
     * with {@link RevokeReason#WITHDRAWN}) before the backend leaves the line: from then on the
     * core refuses every grant, so a claim the backend had in flight cannot make it lead, and the
     * backend releases what such a claim won (see {@link #onWithdraw}).
     */
    @Override
    public final void withdraw() {
        while (true) {
            Leadership leading = currentTerm();
            if (leading != null) {
                drain(leading);
            }
            synchronized (campaignChanges) {
                Leadership held;
                synchronized (transitions) {
                    Snapshot before = current;
                    if (before.state == ElectionState.LATENT || before.state == ElectionState.WITHDRAWN
                            || before.state == ElectionState.CLOSED) {
                        return;
                    }
                    held = before.state == ElectionState.LEADER ? before.leadership : null;
                    if (held != leading) {
                        continue; // a term began or ended while we drained: drain what is current now
                    }
                    if (held == null) {
                        current = new Snapshot(ElectionState.WITHDRAWN, null, before.leaderId);
                        transitions.notifyAll();
                    }
                }
                if (held != null && !revoke(held, RevokeReason.WITHDRAWN, ElectionState.WITHDRAWN)) {
                    continue; // the term ended by itself meanwhile (an expired lease)
                }
                log.info("{} withdrawn: not campaigning until started again", logPrefix);
                onWithdraw(held);
                return;
            }
        }
    }

    @Override
    public final boolean awaitLeadership(Duration timeout) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                try {
                    return awaitLeadershipInterruptibly(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                }
                catch (InterruptedException ex) {
                    interrupted = true;
                }
            }
        }
        finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public final boolean awaitLeadershipInterruptibly(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (transitions) {
            while (!isLeader()) {
                long left = deadline - System.nanoTime();
                if (current.state == ElectionState.CLOSED || left <= 0) {
                    return false;
                }
                // Woken by every transition; a lease that expires wakes nobody, so look again soon.
                TimeUnit.NANOSECONDS.timedWait(transitions, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
            return true;
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
    public final void setListenerExecutor(Executor executor) {
        events.deliverOn(executor);
    }

    /**
     * Stops believing at once, releases leadership on the backend, and waits (at most
     * {@link #CLOSE_DELIVERY_TIMEOUT}) until listeners have heard {@code revoked(CLOSED)} and
     * every event before it, unless called by a listener of this election.
     */
    @Override
    public final void close() {
        Leadership leading = currentTerm();
        if (leading != null) {
            drain(leading);
        }
        synchronized (campaignChanges) {
            Snapshot before;
            synchronized (transitions) {
                before = current;
                if (before.state == ElectionState.CLOSED) {
                    return;
                }
                // Stop believing first, then release: a guarded call that checks isLeader() after
                // this line is refused even while the backend still holds our lease.
                current = new Snapshot(ElectionState.CLOSED, null, null);
                work.shut();
                lease.clear();
                cancelExpiry();
                transitions.notifyAll();
            }
            Leadership held = before.state == ElectionState.LEADER ? before.leadership : null;
            trace("close: stopped believing, releasing");
            try {
                onClose(held);
                trace("close: released");
            }
            catch (RuntimeException ex) {
                log.warn("{} release on close failed; the backend lease will expire on its own", logPrefix, ex);
            }
            finally {
                if (held != null) {
                    log.info("{} revoked: {}", logPrefix, RevokeReason.CLOSED);
                    events.revoked(held, RevokeReason.CLOSED);
                }
                events.shutdown();
            }
        }
        awaitCloseDelivered();
    }

    /** Waits until every event queued so far has been delivered to the listeners. */
    public final boolean awaitEventsDelivered(Duration timeout) throws InterruptedException {
        return events.awaitDelivered(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    // ---- transitions, for backends ----

    /**
     * Logs a step of a hand-off at TRACE on {@link #STEPS}
     * ({@code "<election> step <what> at <System.nanoTime()>"}): the benchmarks' hand-off
     * breakdown times them (the release, the wake-up of the successor, each request it makes, the
     * grant, the delivery), from the stamp taken here, so that the line may be written later,
     * outside the hand-off. Free when that logger is below TRACE, as it is unless asked for.
     */
    protected final void trace(String step) {
        trace(logPrefix, step);
    }

    static void trace(String logPrefix, String step) {
        if (STEPS.isTraceEnabled()) {
            STEPS.trace("{} step {} at {}", logPrefix, step, System.nanoTime());
        }
    }

    /**
     * This candidate won a term. The lease runs from {@code confirmedSendNanos}, the send time
     * of the request whose reply proved ownership. A grant whose deadline is less than half a
     * lease ahead is refused: the proof is too old to lead on (a slow reply, a pause), and the
     * backend must confirm again and retry.
     *
     * @return false if not granted: already leading, withdrawn, closed, or the confirmation too
     *         old; a withdrawn or closed candidate's backend releases what it won
     */
    protected final boolean grant(long fencingToken, long confirmedSendNanos) {
        Leadership leadership;
        synchronized (transitions) {
            Snapshot before = current;
            if (before.state == ElectionState.LEADER || before.state == ElectionState.CLOSED
                    || before.state == ElectionState.WITHDRAWN) {
                return false;
            }
            if (!lease.isUnbounded() && !lease.comfortablyAhead(confirmedSendNanos)) {
                log.warn("{} not granting on a confirmation sent {} ms ago: too little of the lease is left; confirming again",
                        logPrefix, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - confirmedSendNanos));
                return false;
            }
            leadership = new Leadership(name, candidateId, fencingToken, Instant.now());
            lease.start(confirmedSendNanos);
            current = new Snapshot(ElectionState.LEADER, leadership, candidateId);
            work.open(leadership);
            watch(leadership);
            transitions.notifyAll();
            trace("grant: queuing granted");
            events.granted(leadership);
            if (!candidateId.equals(before.leaderId)) {
                events.leaderChanged(Optional.of(candidateId));
            }
        }
        log.info("{} granted, fencing token {}", logPrefix, fencingToken);
        return true;
    }

    /**
     * A renewal of {@code term}, sent at {@code sendNanos}, was confirmed. Ignored unless
     * {@code term} is still the current term and its deadline has not passed: a late reply about
     * an ended term must not arm the lease of the next, nor revive a lapsed one.
     */
    protected final void renewed(Leadership term, long sendNanos) {
        @Nullable Duration left;
        synchronized (transitions) {
            // Once its deadline has passed the term is over, even if the watchdog has not run yet.
            if (current.state != ElectionState.LEADER || current.leadership != term || !lease.isValid()) {
                return;
            }
            left = lease.isRunningLate() ? lease.remaining() : null;
            lease.confirm(sendNanos);
        }
        if (left != null) {
            log.warn("{} renewal came late: answered {} ms after it was sent, {} ms before the term's deadline"
                    + " (a slow or overloaded server, a slow network, or this process stopped or starved of CPU);"
                    + " a renewal later than the deadline ends the term", logPrefix,
                    Duration.ofNanos(System.nanoTime() - sendNanos).toMillis(), left.toMillis());
        }
    }

    /**
     * Ends the current term, if {@code term} is still it.
     *
     * @param next {@link ElectionState#FOLLOWER} or {@link ElectionState#DISCONNECTED}
     * @return false if the term had already ended
     */
    protected final boolean revoke(Leadership term, RevokeReason reason, ElectionState next) {
        synchronized (transitions) {
            Snapshot before = current;
            if (before.state != ElectionState.LEADER || before.leadership != term) {
                return false;
            }
            current = new Snapshot(next, null, null);
            work.shut();
            lease.clear();
            cancelExpiry();
            events.revoked(term, reason);
            events.leaderChanged(Optional.empty());
        }
        log.info("{} revoked: {}", logPrefix, reason);
        return true;
    }

    /** Ends whatever term is current. */
    protected final boolean revokeCurrent(RevokeReason reason, ElectionState next) {
        Leadership term = currentTerm();
        return term != null && revoke(term, reason, next);
    }

    /**
     * The backend says {@code leaderId} leads (null: nobody); only while not leading. A withdrawn
     * candidate stays withdrawn and learns who leads.
     */
    protected final void follow(@Nullable String leaderId) {
        synchronized (transitions) {
            Snapshot before = current;
            if (before.state == ElectionState.CLOSED || before.state == ElectionState.LATENT
                    || before.state == ElectionState.LEADER) {
                return;
            }
            ElectionState next = before.state == ElectionState.WITHDRAWN ? ElectionState.WITHDRAWN : ElectionState.FOLLOWER;
            current = new Snapshot(next, null, leaderId);
            if (!Objects.equals(before.leaderId, leaderId)) {
                events.leaderChanged(Optional.ofNullable(leaderId));
            }
        }
    }

    /**
     * The connection is gone. A follower becomes {@link ElectionState#DISCONNECTED}; a leader
     * keeps its term only until its lease deadline, when the watchdog revokes it.
     */
    protected final void disconnected() {
        synchronized (transitions) {
            if (current.state == ElectionState.FOLLOWER) {
                current = new Snapshot(ElectionState.DISCONNECTED, null, current.leaderId);
            }
        }
    }

    /** The current term, if leading; for backends to compare with a callback's term. */
    protected final @Nullable Leadership currentTerm() {
        Snapshot s = current;
        return s.state == ElectionState.LEADER ? s.leadership : null;
    }

    protected final boolean isClosed() {
        return current.state == ElectionState.CLOSED;
    }

    /** Started, and neither withdrawn nor closed: the backend may claim a term. */
    protected final boolean isCampaigning() {
        ElectionState state = current.state;
        return state == ElectionState.FOLLOWER || state == ElectionState.LEADER || state == ElectionState.DISCONNECTED;
    }

    protected final LeaseDeadline lease() {
        return lease;
    }

    /**
     * Waits until every event queued so far has been delivered to the listeners, without
     * closing; for a backend that drives transitions on request (the test backend).
     */
    protected final boolean awaitQueuedEventsDelivered(Duration timeout) throws InterruptedException {
        return events.awaitDelivered(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    // ---- hooks ----

    /** Begin campaigning; must return at once. */
    protected abstract void onStart();

    /** Release {@code term} on the backend and campaign again behind the others. */
    protected abstract void onYield(Leadership term);

    /** Release {@code held} (null when not leading) and stop campaigning. */
    protected abstract void onClose(@Nullable Leadership held);

    /**
     * Leave the line of candidates: release {@code held} (null when not leading) and whatever
     * queues this candidate on the backend, so that nobody waits behind it, and claim nothing
     * until {@link #onRejoin()}. Grants are refused from before this call on, so a claim in
     * flight that wins afterwards must be released by the backend. Must return at once.
     */
    protected abstract void onWithdraw(@Nullable Leadership held);

    /** Campaign again after {@link #onWithdraw}; must return at once. */
    protected abstract void onRejoin();

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

    // ---- the lease watchdog ----

    /**
     * Arms the one watchdog of {@code term} for the deadline now in force. Renewals do not
     * re-arm it: when it fires before a deadline that renewals moved on, it re-arms itself for
     * the new one, so two renewals racing can never leave the term without a watchdog.
     */
    private void watch(Leadership term) {
        cancelExpiry();
        if (!lease.isUnbounded()) {
            long delay = Math.max(0, lease.deadlineNanos() - System.nanoTime());
            expiry = WATCHDOG.schedule(() -> checkExpiry(term), delay, TimeUnit.NANOSECONDS);
        }
    }

    private void cancelExpiry() {
        ScheduledFuture<?> previous = expiry;
        expiry = null;
        if (previous != null) {
            previous.cancel(false);
        }
    }

    private void checkExpiry(Leadership term) {
        synchronized (transitions) {
            if (current.state != ElectionState.LEADER || current.leadership != term) {
                return;
            }
            if (lease.isValid()) {
                watch(term);
                return;
            }
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

    /** Stops admitting work under {@code term} and waits for admitted work, at most the drain timeout. */
    private void drain(Leadership term) {
        Duration timeout = drainTimeout;
        if (!work.drain(term, timeout, logPrefix)) {
            log.warn("{} {} leader-only work(s) still running after {}; releasing anyway", logPrefix, work.running(), timeout);
        }
    }

    private void awaitCloseDelivered() {
        if (events.isDeliveryThread()) {
            return;
        }
        try {
            if (!awaitEventsDelivered(CLOSE_DELIVERY_TIMEOUT)) {
                log.warn("{} listeners still busy {} after close; not waiting longer", logPrefix, CLOSE_DELIVERY_TIMEOUT);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                DaemonThreads.single("leader-lease-watchdog"));
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
