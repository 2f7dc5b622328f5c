package dev.leader.etcd;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import dev.leader.election.SerialLane;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one lease of a backend, which every candidate key of the backend is bound to, as the
 * keys of a ZooKeeper session are to the session. One keep-alive per third of the lease, sent
 * from the lanes' timer without blocking a thread, renews every leader of the backend from that
 * keep-alive's send time; losing the lease revokes them all, and every election campaigns again
 * on the next lease, granted by the first that needs it.
 *
 * <p>A keep-alive result without a TTL means etcd no longer has the lease: lost at once. Any
 * other failure says nothing about the lease; the next endpoint is tried, and each leader's
 * deadline decides.
 *
 * <p>etcd renews a lease on its raft leader's word alone, without a quorum (etcd#15247): a
 * leader cut off from its peers, or stalled, answers keep-alives until its own election timeout
 * ends its term. So an acknowledgement counts only once a linearizable read, sent after it to the
 * same member, comes back in the same raft term.
 *
 * <p>A deposed leader can also revoke a lease: when it runs again after a stall, its lessor may
 * still take itself for the primary and revoke every lease whose last renewal it saw more than a
 * TTL ago, through the new leader (etcd#12528). Only renewals by the leader that granted the
 * lease are therefore counted; an answer from a later raft term grants a lease of that term,
 * every key moves to it (each election on its lane, keeping its create revision), and the old
 * lease is revoked one lease later.
 */
final class SharedLease {

    /** The elections of the backend, told what happened to the lease their keys are bound to. */
    interface Holders {

        void renewed(long leaseId, long sendNanos);

        void lost(long leaseId);

        /** The current lease changed without a loss: keys on another lease should move to it. */
        void replaced(long leaseId);
    }

    private enum Outcome { CONFIRMED, LOST, UNCONFIRMED, DEPOSED }

    private static final Logger log = LoggerFactory.getLogger(SharedLease.class);

    private static final int MAX_IN_FLIGHT = 3;

    private final EtcdKv kv;

    private final long ttlSeconds;

    private final Duration interval;

    private final Duration leaseDuration;

    private final long validNanos;

    private final Holders holders;

    /** Blocking calls of the lease itself (a grant of a new raft term, a revoke): one at a time. */
    private final SerialLane lane;

    /**
     * Keep-alives sent and not yet answered. Each is sent on time even while the one before is
     * still out, up to {@link #MAX_IN_FLIGHT}: on a slow member a confirmation counts from its own
     * send time, so waiting for the last answer would only age the next.
     */
    private final AtomicInteger inFlight = new AtomicInteger();

    private final AtomicBoolean replacing = new AtomicBoolean();

    private final AtomicInteger grants = new AtomicInteger();

    private volatile EtcdKv.@Nullable Lease current;

    private volatile long lastAckSendNanos;

    private volatile boolean closed;

    /** For tests: no keep-alive is sent for this lease id, as if this process were cut off from etcd. */
    volatile long pausedLease;

    SharedLease(EtcdKv kv, EtcdBackendSettings settings, SerialLane lane, Holders holders) {
        this.kv = kv;
        this.ttlSeconds = settings.ttlSeconds();
        this.interval = settings.keepAliveInterval();
        this.leaseDuration = settings.leaseDuration();
        this.validNanos = settings.leaseDuration().minus(settings.margin()).toNanos();
        this.lane = lane;
        this.holders = holders;
    }

    /** The lease keys are bound to now, granted now if there is none (blocking, on a lane worker). */
    synchronized EtcdKv.Lease acquire() throws IOException, InterruptedException {
        EtcdKv.Lease lease = current;
        if (lease != null) {
            return lease;
        }
        if (closed) {
            throw new InterruptedException("closed");
        }
        EtcdKv.Lease fresh = kv.grant(ttlSeconds);
        install(fresh);
        log.info("etcd lease {} granted for every election of this backend, TTL {} s", Long.toHexString(fresh.id()), fresh.ttlSeconds());
        return fresh;
    }

    EtcdKv.@Nullable Lease current() {
        return current;
    }

    long currentId() {
        EtcdKv.Lease lease = current;
        return lease == null ? 0 : lease.id();
    }

    /** How many leases this backend was granted; for tests. */
    int grants() {
        return grants.get();
    }

    long lastAckSendNanos() {
        return lastAckSendNanos;
    }

    /** Whether, by our own clock, {@code leaseId} is the current lease and surely still alive on the server. */
    boolean isValid(long leaseId) {
        return leaseId != 0 && currentId() == leaseId && lastAckSendNanos + validNanos - System.nanoTime() > 0;
    }

    /** etcd said it no longer has {@code leaseId} (a create bound to it failed): the next acquire grants anew. */
    void lostOnServer(long leaseId) {
        lose(leaseId, "etcd no longer has lease");
    }

    /**
     * One keep-alive now, on the caller's worker, for a candidate about to lead whose last
     * acknowledgement is too old to vouch for the lease. Callers queue here: one that finds a
     * fresh acknowledgement made meanwhile sends nothing.
     *
     * @return true if etcd still has the lease; our account then runs from this send
     * @throws IOException when etcd cannot say, which is not the same as a lost lease
     */
    synchronized boolean renewNow(long leaseId, long neededAfterNanos) throws IOException, InterruptedException {
        if (currentId() != leaseId || pausedLease == leaseId) {
            return false;
        }
        if (lastAckSendNanos - neededAfterNanos > 0) {
            return true;
        }
        long send = System.nanoTime();
        EtcdKv.KeepAlive answer = kv.keepAlive(leaseId, interval);
        Outcome outcome = answer.ttl() <= 0 ? Outcome.LOST : judge(answer, kv.quorumRead(interval));
        settle(leaseId, send, outcome);
        return outcome == Outcome.CONFIRMED && currentId() == leaseId;
    }

    /** On the lanes' timer: sends the keep-alive and returns; the answer is handled where it arrives. */
    void beat() {
        EtcdKv.Lease lease = current;
        if (lease == null || closed || pausedLease == lease.id()) {
            return;
        }
        if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
            inFlight.decrementAndGet();
            return;
        }
        long id = lease.id();
        long send = System.nanoTime();
        CompletableFuture<Outcome> outcome;
        try {
            outcome = kv.keepAliveAsync(id, interval).thenCompose(answer -> answer.ttl() <= 0
                    ? CompletableFuture.completedFuture(Outcome.LOST)
                    : kv.quorumReadAsync(interval).thenApply(after -> judge(answer, after)));
        }
        catch (RuntimeException ex) {
            inFlight.decrementAndGet();
            throw ex;
        }
        outcome.whenComplete((result, failure) -> {
            inFlight.decrementAndGet();
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                // Our deadline, not this error, decides when leadership ends: etcd may simply be slow.
                log.warn("keep-alive of etcd lease {} failed: {}", Long.toHexString(id), cause.toString());
                kv.http().failed(cause instanceof Exception ex ? ex : new IOException(cause));
                return;
            }
            settle(id, send, result);
        });
    }

    /** Revokes the lease (every key bound to it goes) and sends no more keep-alives. */
    void close() {
        closed = true;
        EtcdKv.Lease last;
        synchronized (this) {
            last = current;
            current = null;
        }
        if (last != null) {
            try {
                kv.revoke(last.id());
            }
            catch (IOException ex) {
                log.warn("could not revoke etcd lease {} on close; it expires within {}: {}", Long.toHexString(last.id()), leaseDuration,
                        ex.toString());
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Outcome judge(EtcdKv.KeepAlive answer, EtcdKv.Answerer after) {
        if (!after.equals(answer.answerer())) {
            log.warn("keep-alive was answered by member {} in raft term {}, which a quorum did not confirm (then member {}, term {}):"
                    + " not counted", answer.answerer().memberId(), answer.answerer().raftTerm(), after.memberId(), after.raftTerm());
            return Outcome.UNCONFIRMED;
        }
        EtcdKv.Lease lease = current;
        return lease != null && answer.answerer().raftTerm() == lease.raftTerm() ? Outcome.CONFIRMED : Outcome.DEPOSED;
    }

    private void settle(long id, long send, Outcome outcome) {
        if (currentId() != id) {
            return;
        }
        switch (outcome) {
            case CONFIRMED -> {
                synchronized (this) {
                    if (currentId() != id) {
                        return;
                    }
                    lastAckSendNanos = Math.max(lastAckSendNanos, send);
                }
                holders.renewed(id, send);
            }
            case LOST -> lose(id, "etcd no longer has lease");
            case DEPOSED -> replace(id);
            case UNCONFIRMED -> {
                // Not counted; the next keep-alive, or the deadline, decides.
            }
        }
    }

    private void lose(long id, String why) {
        synchronized (this) {
            if (currentId() != id) {
                return;
            }
            current = null;
        }
        log.warn("{} {}: every election of this backend campaigns again on a new lease", why, Long.toHexString(id));
        holders.lost(id);
    }

    /** The raft leader that granted the lease was deposed: keys move to a lease of the current term. */
    private void replace(long id) {
        if (!replacing.compareAndSet(false, true)) {
            return;
        }
        boolean queued = lane.execute(() -> {
            try {
                EtcdKv.Lease fresh = kv.grant(ttlSeconds);
                synchronized (this) {
                    if (currentId() != id || closed) {
                        revokeLater(fresh.id(), Duration.ZERO);
                        return;
                    }
                    install(fresh);
                }
                log.info("etcd lease {} was granted by a raft leader since deposed; keys move to lease {} of raft term {}",
                        Long.toHexString(id), Long.toHexString(fresh.id()), fresh.raftTerm());
                revokeLater(id, leaseDuration);
                holders.replaced(fresh.id());
            }
            catch (IOException ex) {
                log.warn("could not grant a lease to replace {}; trying again at the next keep-alive: {}", Long.toHexString(id), ex.toString());
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            finally {
                replacing.set(false);
            }
        });
        if (!queued) {
            replacing.set(false);
        }
    }

    private void install(EtcdKv.Lease fresh) {
        current = fresh;
        lastAckSendNanos = fresh.sendNanos();
        grants.incrementAndGet();
    }

    /** Keys not moved off {@code id} by then have lost their place anyway: no keep-alive counts for it. */
    private void revokeLater(long id, Duration delay) {
        lane.schedule(delay, () -> {
            try {
                kv.revoke(id);
            }
            catch (IOException ex) {
                log.warn("could not revoke replaced etcd lease {}; it expires on its own: {}", Long.toHexString(id), ex.toString());
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
