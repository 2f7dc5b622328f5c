package dev.leader.etcd;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import dev.leader.election.AbstractElection;
import dev.leader.election.Backoff;
import dev.leader.election.ElectionState;
import dev.leader.election.LeaseDeadline;
import dev.leader.election.Leadership;
import dev.leader.election.RevokeReason;
import org.jspecify.annotations.Nullable;

/**
 * One candidate: a lease, a key {@code <prefix><election>/<lease id hex>} bound to it, and a
 * campaign thread. The key with the lowest create revision leads. A follower waits for the
 * deletion of the key just ahead of its own, then reads again and grants itself only if its key
 * is still there (so its lease was alive when read) and its own keep-alive account says the
 * lease is alive: waking up is never taken as proof of leadership.
 */
final class EtcdElection extends AbstractElection implements LeaseKeepAlive.Listener {

    private final EtcdBackendSettings settings;

    private final EtcdKv kv;

    private final String electionPrefix;

    private final LeaseKeepAlive keepAlive;

    private final CandidateKey candidateKey;

    private final ScheduledExecutorService scheduler;

    private final Thread campaign;

    private final Object pauseLock = new Object();

    private final AtomicBoolean releaseRequested = new AtomicBoolean();

    /** Set when our lease was granted by a raft leader that has since been deposed. */
    private final AtomicBoolean moveRequested = new AtomicBoolean();

    private volatile boolean closing;

    private volatile boolean leaseLost;

    /** The revision of the key whose term was granted last: a key wins at most one term. */
    private long grantedRevision;

    private volatile @Nullable DeletionWatch watch;

    /** For tests: runs on the campaign thread just before a watch is opened. */
    volatile @Nullable Runnable beforeWatch;

    EtcdElection(String name, String candidateId, EtcdBackendSettings settings, EtcdKv kv,
            ScheduledExecutorService scheduler) {
        super(name, candidateId, LeaseDeadline.of(settings.leaseDuration(), settings.margin()));
        this.settings = settings;
        this.kv = kv;
        this.electionPrefix = settings.prefix() + name + "/";
        this.keepAlive = new LeaseKeepAlive(kv, scheduler, settings, this, logPrefix);
        this.candidateKey = new CandidateKey(kv, settings.ttlSeconds(), keepAlive, electionPrefix, candidateId, logPrefix);
        this.scheduler = scheduler;
        this.campaign = new Thread(this::campaign, "leader-etcd-" + name);
        this.campaign.setDaemon(true);
    }

    // ---- hooks ----

    @Override
    protected void onStart() {
        campaign.start();
    }

    @Override
    protected void onYield(Leadership term) {
        releaseRequested.set(true);
        abortWait();
    }

    /** The campaign thread deletes our key and revokes our lease, as on a yield, then waits for {@link #onRejoin()}. */
    @Override
    protected void onWithdraw(@Nullable Leadership held) {
        releaseRequested.set(true);
        abortWait();
    }

    @Override
    protected void onRejoin() {
        abortWait();
    }

    @Override
    protected void onClose(@Nullable Leadership held) {
        closing = true;
        String key = candidateKey.key();
        abortWait();
        boolean reachable = true;
        if (held != null && key != null) {
            // Delete before winding the campaign thread down: the successor's watch fires now.
            try {
                kv.delete(key);
            }
            catch (IOException ex) {
                // Do not spend more timeouts on an unreachable etcd: the lease expires on its own.
                reachable = false;
                log.warn("{} could not delete {} on close; it expires within {}: {}", logPrefix, key,
                        settings.leaseDuration(), ex.toString());
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        if (campaign.isAlive()) {
            campaign.interrupt();
            try {
                campaign.join(settings.requestTimeout().multipliedBy(2).toMillis());
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        if (!reachable) {
            keepAlive.stop();
            return;
        }
        try {
            candidateKey.revokeOnClose();
        }
        catch (IOException ex) {
            log.warn("{} could not release lease on close; it expires within {}: {}", logPrefix, settings.leaseDuration(), ex.toString());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected void onLeaseExpired(Leadership term) {
        log.warn("{} no keep-alive acknowledged within the lease; campaigning again on a new lease", logPrefix);
        leaseLost = true;
        abortWait();
    }

    // ---- keep-alive callbacks ----

    @Override
    public void acknowledged(long leaseId, long sendNanos) {
        Leadership term = currentTerm();
        if (candidateKey.isOn(leaseId) && term != null) {
            renewed(term, sendNanos);
        }
    }

    @Override
    public void lost(long leaseId) {
        if (candidateKey.isOn(leaseId)) {
            leaseLost = true;
            revokeCurrent(RevokeReason.LEASE_EXPIRED, ElectionState.FOLLOWER);
            abortWait();
        }
    }

    @Override
    public void grantedByDeposedLeader(long leaseId) {
        if (candidateKey.isOn(leaseId) && !moveRequested.getAndSet(true)) {
            abortWait();
        }
    }

    LeaseKeepAlive keepAlive() {
        return keepAlive;
    }

    @Nullable String key() {
        return candidateKey.key();
    }

    long leaseId() {
        EtcdKv.Lease current = candidateKey.lease();
        return current == null ? 0 : current.id();
    }

    /** For tests: whether the campaign thread is in its watch now. */
    boolean watching() {
        return watch != null;
    }

    // ---- the campaign thread ----

    private void campaign() {
        // Capped at the lease: after an outage, candidates should be back within about one lease.
        Duration cap = settings.leaseDuration().compareTo(Duration.ofSeconds(10)) < 0 ? settings.leaseDuration() : Duration.ofSeconds(10);
        Backoff backoff = new Backoff(Duration.ofMillis(100), cap);
        while (!closing) {
            try {
                step();
                backoff.reset();
            }
            catch (InterruptedException ex) {
                if (closing) {
                    return;
                }
                Thread.interrupted();
            }
            catch (IOException | RuntimeException ex) {
                if (closing) {
                    return;
                }
                kv.http().failed(ex);
                log.warn("{} etcd call failed: {}", logPrefix, ex.toString());
                disconnected();
                pause(backoff.next());
            }
        }
    }

    /** One read of the election and one wait; returns when something changed. */
    private void step() throws IOException, InterruptedException {
        if (releaseRequested.getAndSet(false) || leaseLost) {
            retireLease();
        }
        if (!isCampaigning()) {
            awaitRejoin();
            return;
        }
        candidateKey.revokeStale();
        if (candidateKey.ensure(() -> closing)) {
            leaseLost = false;
        }
        if (moveRequested.get() && !moveToNewLease()) {
            return;
        }
        EtcdKv.Range range = kv.range(electionPrefix);
        String key = candidateKey.key();
        EtcdKv.Kv mine = range.kvs().stream().filter(kv -> kv.key().equals(key)).findFirst().orElse(null);
        if (mine == null) {
            // Our key went with our lease (expired or revoked) or was deleted by hand.
            log.info("{} candidate key {} is gone; campaigning on a new lease", logPrefix, key);
            revokeCurrent(RevokeReason.LEASE_EXPIRED, ElectionState.FOLLOWER);
            leaseLost = true;
            return;
        }
        List<EtcdKv.Kv> ahead = new ArrayList<>(range.kvs().subList(0, range.kvs().indexOf(mine)));
        if (ahead.isEmpty() && !claim(mine)) {
            return;
        }
        if (!ahead.isEmpty()) {
            revokeCurrent(RevokeReason.PREEMPTED, ElectionState.FOLLOWER);
            follow(ahead.get(0).value());
        }
        awaitDeletion(range.revision() + 1, ahead);
    }

    /**
     * Our key is first. Grant only if this key has not already had its term and our own account
     * of the lease (last acknowledged keep-alive) says it is alive.
     *
     * @return true to wait on the key while leading, false to step again
     */
    private boolean claim(EtcdKv.Kv mine) throws IOException, InterruptedException {
        if (currentTerm() != null) {
            return true;
        }
        if (grantedRevision == mine.createRevision()) {
            // The term on this key ended (yield, expiry) while we were not looking: queue anew.
            releaseRequested.set(true);
            return false;
        }
        if ((!keepAlive.isValid() || !lease().comfortablyAhead(keepAlive.lastAckSendNanos())) && !keepAlive.renewNow()) {
            if (moveRequested.get()) {
                return false; // step again: the key moves to a lease of this raft term first
            }
            // The key was there when read, but our own account cannot vouch for the lease now.
            log.warn("{} first in line but lease {} cannot be confirmed; campaigning on a new lease",
                    logPrefix, Long.toHexString(leaseId()));
            leaseLost = true;
            return false;
        }
        if (closing || releaseRequested.get() || leaseLost) {
            return false;
        }
        long previous = grantedRevision;
        grantedRevision = mine.createRevision();
        if (!grant(mine.createRevision(), keepAlive.lastAckSendNanos())) {
            // The last acknowledgement is too old to lead on: confirm again, then claim again.
            grantedRevision = previous;
            return false;
        }
        return true;
    }

    /**
     * The raft leader that granted our lease was deposed: the key moves to a lease of the current
     * raft term, and a term we hold runs on from the new grant.
     *
     * @return false when the key could not be moved and the campaign must start over
     */
    private boolean moveToNewLease() throws IOException, InterruptedException {
        Optional<EtcdKv.Lease> fresh = candidateKey.moveToNewLease();
        moveRequested.set(false);
        if (fresh.isEmpty()) {
            revokeCurrent(RevokeReason.LEASE_EXPIRED, ElectionState.FOLLOWER);
            leaseLost = true;
            return false;
        }
        Leadership term = currentTerm();
        if (term != null) {
            renewed(term, fresh.get().sendNanos());
        }
        return true;
    }

    private void awaitDeletion(long fromRevision, List<EtcdKv.Kv> ahead) throws IOException, InterruptedException {
        Runnable hook = beforeWatch;
        if (hook != null) {
            hook.run();
        }
        DeletionWatch opened = DeletionWatch.open(kv.http(), electionPrefix, fromRevision, scheduler, settings.watchSilenceLimit());
        watch = opened;
        try {
            if (closing || releaseRequested.get() || leaseLost) {
                return;
            }
            while (true) {
                DeletionWatch.Batch batch;
                try {
                    batch = opened.next();
                }
                catch (IOException ex) {
                    if (opened.isClosed()) {
                        return; // we cancelled it to act on a yield, a lost lease or close
                    }
                    throw ex;
                }
                if (batch.compacted()) {
                    log.info("{} watched revision {} was compacted; reading again", logPrefix, fromRevision);
                    return;
                }
                if (batch.deletedKeys().contains(candidateKey.key())) {
                    return;
                }
                String predecessor = ahead.isEmpty() ? null : ahead.get(ahead.size() - 1).key();
                if (predecessor != null && batch.deletedKeys().contains(predecessor)) {
                    return;
                }
                if (ahead.removeIf(kv -> batch.deletedKeys().contains(kv.key())) && !ahead.isEmpty()) {
                    follow(ahead.get(0).value());
                }
            }
        }
        finally {
            watch = null;
            opened.close();
        }
    }

    /** Gives up the current lease: key deleted and lease revoked now, or left to expire. */
    private void retireLease() throws InterruptedException {
        revokeCurrent(RevokeReason.LEASE_EXPIRED, ElectionState.FOLLOWER);
        candidateKey.retire();
        leaseLost = false;
        moveRequested.set(false);
    }

    /** Withdrawn: holds no lease and no key, and waits without a watch until started again or closed. */
    private void awaitRejoin() throws InterruptedException {
        synchronized (pauseLock) {
            while (!closing && !isCampaigning() && !releaseRequested.get()) {
                pauseLock.wait();
            }
        }
    }

    private void abortWait() {
        DeletionWatch current = watch;
        if (current != null) {
            current.close();
        }
        synchronized (pauseLock) {
            pauseLock.notifyAll();
        }
    }

    private void pause(Duration duration) {
        synchronized (pauseLock) {
            if (closing || releaseRequested.get() || leaseLost || moveRequested.get()) {
                return;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(pauseLock, duration.toNanos());
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
