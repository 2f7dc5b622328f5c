package dev.leader.etcd;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import dev.leader.election.AbstractElection;
import dev.leader.election.Backoff;
import dev.leader.election.ElectionState;
import dev.leader.election.LeaseDeadline;
import dev.leader.election.Leadership;
import dev.leader.election.RevokeReason;
import dev.leader.election.SerialLane;
import org.jspecify.annotations.Nullable;

/**
 * One candidate: a key {@code <prefix><election>/<lease id hex>} bound to the backend's
 * {@link SharedLease}, and a lane on which its campaign steps run one at a time. The key with
 * the lowest create revision leads. A step reads the election and returns; the next runs when
 * something changed: a deletion under the election (from the backend's {@link PrefixWatch}, to
 * which the election is registered for as long as it is open, so before any read), news of the
 * lease, a yield, a withdrawal, a retry after a failure. A follower grants itself only when a
 * read shows its key first (so its lease was alive when read) and the shared lease's own account
 * says the lease is alive: waking up is never taken as proof of leadership.
 */
final class EtcdElection extends AbstractElection {

    private final EtcdBackendSettings settings;

    private final EtcdKv kv;

    private final String electionPrefix;

    private final SharedLease shared;

    private final PrefixWatch watch;

    private final SerialLane lane;

    private final CandidateKey candidateKey;

    private final Backoff backoff;

    private final Runnable onClosed;

    /** Whether the backend is closing: it revokes the shared lease, which takes every key with it. */
    private final BooleanSupplier backendClosing;

    private final AtomicBoolean stepQueued = new AtomicBoolean();

    private final AtomicBoolean releaseRequested = new AtomicBoolean();

    private volatile boolean closing;

    private volatile @Nullable Future<?> retry;

    /** The revision of the key whose term was granted last: a key wins at most one term. Lane-confined. */
    private long grantedRevision;

    /** For tests: runs on the lane at the end of a step that found us behind another key, before the wait. */
    volatile @Nullable Runnable afterFollowing;

    EtcdElection(String name, String candidateId, EtcdBackendSettings settings, EtcdKv kv, SharedLease shared, PrefixWatch watch,
            SerialLane lane, BooleanSupplier backendClosing, Runnable onClosed) {
        super(name, candidateId, LeaseDeadline.of(settings.leaseDuration(), settings.margin()));
        this.settings = settings;
        this.kv = kv;
        this.electionPrefix = settings.prefix() + name + "/";
        this.shared = shared;
        this.watch = watch;
        this.lane = lane;
        this.candidateKey = new CandidateKey(kv, shared, electionPrefix, candidateId);
        this.onClosed = onClosed;
        this.backendClosing = backendClosing;
        // Capped at the lease: after an outage, candidates should be back within about one lease.
        Duration cap = settings.leaseDuration().compareTo(Duration.ofSeconds(10)) < 0 ? settings.leaseDuration() : Duration.ofSeconds(10);
        this.backoff = new Backoff(Duration.ofMillis(100), cap);
    }

    // ---- hooks ----

    @Override
    protected void onStart() {
        kick();
    }

    @Override
    protected void onYield(Leadership term) {
        releaseRequested.set(true);
        kick();
    }

    /** The lane deletes our key, as on a yield, then waits for {@link #onRejoin()}. */
    @Override
    protected void onWithdraw(@Nullable Leadership held) {
        releaseRequested.set(true);
        kick();
    }

    @Override
    protected void onRejoin() {
        kick();
    }

    @Override
    protected void onLeaseExpired(Leadership term) {
        log.warn("{} no keep-alive acknowledged within the lease; reading again", logPrefix);
        kick();
    }

    @Override
    protected void onClose(@Nullable Leadership held) {
        closing = true;
        cancelRetry();
        if (backendClosing.getAsBoolean()) {
            // The backend revokes the shared lease next, and a grant after that is refused.
            lane.shutdown();
            onClosed.run();
            return;
        }
        String key = candidateKey.key();
        boolean reachable = true;
        if (held != null && key != null) {
            // Delete before the lane winds down: the successor's watch fires now.
            try {
                kv.delete(key);
            }
            catch (IOException ex) {
                // Do not spend more timeouts on an unreachable etcd: the lease goes with the backend.
                reachable = false;
                log.warn("{} could not delete {} on close; it goes with the backend's lease: {}", logPrefix, key, ex.toString());
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        // Behind a step under way, which may have created the key meanwhile.
        CountDownLatch deleted = new CountDownLatch(1);
        boolean deleteQueued = lane.execute(reachable ? () -> deleteOnClose(deleted) : deleted::countDown);
        lane.shutdown();
        try {
            if (deleteQueued && !deleted.await(settings.requestTimeout().multipliedBy(2).toNanos(), TimeUnit.NANOSECONDS)) {
                log.warn("{} key not deleted on close within {}; it goes with the backend's lease", logPrefix,
                        settings.requestTimeout().multipliedBy(2));
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        finally {
            onClosed.run();
        }
    }

    private void deleteOnClose(CountDownLatch deleted) {
        try {
            candidateKey.delete();
        }
        catch (IOException ex) {
            log.warn("{} could not delete {} on close; it goes with the backend's lease: {}", logPrefix, candidateKey.key(), ex.toString());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        finally {
            deleted.countDown();
        }
    }

    // ---- news from the shared lease and the shared watch ----

    /** A keep-alive of {@code leaseId} sent at {@code sendNanos} was confirmed. */
    void leaseRenewed(long leaseId, long sendNanos) {
        Leadership term = currentTerm();
        if (term != null && candidateKey.isOn(leaseId)) {
            renewed(term, sendNanos);
        }
    }

    /** etcd no longer has {@code leaseId}: a term on it is over, and the key goes on a new lease. */
    void leaseLost(long leaseId) {
        if (candidateKey.isOn(leaseId)) {
            revokeCurrent(RevokeReason.LEASE_EXPIRED, ElectionState.FOLLOWER);
            kick();
        }
    }

    /** The shared lease moved on to {@code leaseId}: a key bound to another moves to it. */
    void leaseReplaced(long leaseId) {
        if (candidateKey.isOnAnotherThan(leaseId)) {
            kick();
        }
    }

    /** A key under this election was deleted, or deletions may have been missed. */
    void readAgain() {
        trace("wake: a key of the election deleted");
        if (isCampaigning() || candidateKey.key() != null) {
            kick();
        }
    }

    SharedLease sharedLease() {
        return shared;
    }

    @Nullable String key() {
        return candidateKey.key();
    }

    long leaseId() {
        return candidateKey.leaseId();
    }

    /** For tests: whether this candidate waits for a deletion now, with the shared watch registered. */
    boolean watching() {
        return candidateKey.key() != null && !stepQueued.get() && watch.isRegistered();
    }

    // ---- the campaign, on the lane ----

    private void kick() {
        cancelRetry();
        if (stepQueued.compareAndSet(false, true) && !lane.execute(this::step)) {
            stepQueued.set(false);
        }
    }

    private void retryIn(Duration delay) {
        retry = lane.schedule(delay, this::kick);
    }

    private void cancelRetry() {
        Future<?> pending = retry;
        if (pending != null) {
            pending.cancel(false);
        }
    }

    private void step() {
        stepQueued.set(false);
        if (closing) {
            return;
        }
        try {
            read();
            backoff.reset();
        }
        catch (IOException | RuntimeException ex) {
            if (closing) {
                return;
            }
            kv.http().failed(ex);
            log.warn("{} etcd call failed: {}", logPrefix, ex.toString());
            disconnected();
            retryIn(backoff.next());
        }
        catch (InterruptedException ex) {
            // Only the backend closing interrupts a call: nothing to do.
        }
    }

    /** One read of the election; returns, and the next step runs when something changed. */
    private void read() throws IOException, InterruptedException {
        if (releaseRequested.get()) {
            revokeCurrent(RevokeReason.LEASE_EXPIRED, ElectionState.FOLLOWER);
            candidateKey.delete();
            releaseRequested.set(false);
        }
        if (!isCampaigning()) {
            return; // withdrawn: no key, no step until started again
        }
        EtcdKv.Lease lease = shared.acquire();
        if (candidateKey.isOnAnotherThan(lease.id())) {
            moveTo(lease);
        }
        candidateKey.ensure(lease);
        trace("read: range sent");
        EtcdKv.Range range = kv.range(electionPrefix);
        trace("read: range answered");
        String key = candidateKey.key();
        EtcdKv.Kv mine = range.kvs().stream().filter(kv -> kv.key().equals(key)).findFirst().orElse(null);
        if (mine == null) {
            // Our key went with its lease (expired or revoked) or was deleted by hand.
            log.info("{} candidate key {} is gone; campaigning with a new key", logPrefix, key);
            revokeCurrent(RevokeReason.LEASE_EXPIRED, ElectionState.FOLLOWER);
            candidateKey.forget();
            kick();
            return;
        }
        List<EtcdKv.Kv> ahead = range.kvs().subList(0, range.kvs().indexOf(mine));
        if (ahead.isEmpty()) {
            claim(mine);
            return;
        }
        revokeCurrent(RevokeReason.PREEMPTED, ElectionState.FOLLOWER);
        follow(ahead.get(0).value());
        Runnable hook = afterFollowing;
        if (hook != null) {
            hook.run();
        }
    }

    /**
     * The shared lease moved to a lease of a newer raft term (the leader that granted ours was
     * deposed): our key moves to it, and a term we hold runs on from the new grant.
     */
    private void moveTo(EtcdKv.Lease lease) throws IOException, InterruptedException {
        long from = candidateKey.leaseId();
        if (!candidateKey.moveTo(lease)) {
            log.info("{} candidate key left lease {} before it could move; campaigning with a new key", logPrefix, Long.toHexString(from));
            revokeCurrent(RevokeReason.LEASE_EXPIRED, ElectionState.FOLLOWER);
            return;
        }
        Leadership term = currentTerm();
        if (term != null) {
            renewed(term, lease.sendNanos());
        }
        log.info("{} candidate key moved from lease {} to lease {} of raft term {}", logPrefix, Long.toHexString(from),
                Long.toHexString(lease.id()), lease.raftTerm());
    }

    /**
     * Our key is first. Grant only if this key has not already had its term and the shared
     * lease's own account (its last acknowledged keep-alive) says the lease is alive.
     */
    private void claim(EtcdKv.Kv mine) throws IOException, InterruptedException {
        if (currentTerm() != null) {
            return;
        }
        if (grantedRevision == mine.createRevision()) {
            // The term on this key ended (yield, expiry) while we were not looking: queue anew.
            releaseRequested.set(true);
            kick();
            return;
        }
        long leaseId = candidateKey.leaseId();
        trace("claim: first in line, vouching for the lease");
        if ((!shared.isValid(leaseId) || !lease().comfortablyAhead(shared.lastAckSendNanos()))
                && !shared.renewNow(leaseId, System.nanoTime())) {
            // The key was there when read, but the lease cannot be vouched for now: a loss or a
            // new raft term is news that brings the next step; anything else is tried again.
            log.warn("{} first in line but lease {} cannot be confirmed now; reading again", logPrefix, Long.toHexString(leaseId));
            retryIn(backoff.next());
            return;
        }
        if (closing || releaseRequested.get() || !candidateKey.isOn(leaseId)) {
            kick();
            return;
        }
        long previous = grantedRevision;
        grantedRevision = mine.createRevision();
        if (!grant(mine.createRevision(), shared.lastAckSendNanos())) {
            // The last acknowledgement is too old to lead on, or we were withdrawn meanwhile.
            grantedRevision = previous;
            if (isCampaigning()) {
                retryIn(backoff.next());
            }
        }
    }
}
