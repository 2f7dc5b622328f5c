package dev.leader.etcd;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One candidate's key {@code <prefix><election>/<lease id hex>} and the lease it is bound to:
 * granted and created, moved to a lease of a newer raft term, released, and the leases that could
 * not be revoked yet. Changed by the election's campaign thread (and by its close); read by the
 * keep-alive thread.
 */
final class CandidateKey {

    private static final Logger log = LoggerFactory.getLogger(CandidateKey.class);

    private static final int MAX_STALE_LEASES = 16;

    private final EtcdKv kv;

    private final long ttlSeconds;

    private final LeaseKeepAlive keepAlive;

    private final String electionPrefix;

    private final String candidateId;

    private final String logPrefix;

    private final List<Long> staleLeases = new ArrayList<>();

    private volatile EtcdKv.@Nullable Lease lease;

    private volatile @Nullable String key;

    private volatile long revision;

    CandidateKey(EtcdKv kv, long ttlSeconds, LeaseKeepAlive keepAlive, String electionPrefix, String candidateId, String logPrefix) {
        this.kv = kv;
        this.ttlSeconds = ttlSeconds;
        this.keepAlive = keepAlive;
        this.electionPrefix = electionPrefix;
        this.candidateId = candidateId;
        this.logPrefix = logPrefix;
    }

    EtcdKv.@Nullable Lease lease() {
        return lease;
    }

    @Nullable String key() {
        return key;
    }

    /** Whether our key is bound to {@code leaseId} now. */
    boolean isOn(long leaseId) {
        EtcdKv.Lease current = lease;
        return current != null && current.id() == leaseId;
    }

    /**
     * Grants a lease and starts its keep-alive unless we hold one, then creates our key unless it
     * exists (a create whose reply was lost is found and reused).
     *
     * @return whether a new lease was granted
     */
    boolean ensure(BooleanSupplier closing) throws IOException, InterruptedException {
        boolean granted = false;
        if (lease == null) {
            EtcdKv.Lease fresh = kv.grant(ttlSeconds);
            if (closing.getAsBoolean()) {
                kv.revoke(fresh.id());
                throw new InterruptedException("closed");
            }
            lease = fresh;
            key = electionPrefix + Long.toHexString(fresh.id());
            revision = 0;
            keepAlive.start(fresh);
            granted = true;
            log.debug("{} lease {} granted, TTL {} s", logPrefix, Long.toHexString(fresh.id()), fresh.ttlSeconds());
        }
        String current = key;
        EtcdKv.Lease bound = lease;
        if (revision == 0 && current != null && bound != null) {
            revision = kv.createIfAbsent(current, candidateId, bound.id());
        }
        return granted;
    }

    /**
     * Binds our key to a lease granted now, in the current raft term: the raft leader that granted
     * the old one was deposed, and when it runs again it may revoke that lease on its stale account
     * of it. The key keeps its create revision, so our place in line and the token of a term we
     * hold do not change.
     *
     * @return the new lease, or empty when the key left the old lease before it could move (and
     *         then its term, if any, is over)
     */
    Optional<EtcdKv.Lease> moveToNewLease() throws IOException, InterruptedException {
        EtcdKv.Lease old = lease;
        String current = key;
        if (old == null || current == null || revision == 0) {
            throw new IllegalStateException("no candidate key to move");
        }
        EtcdKv.Lease fresh = kv.grant(ttlSeconds);
        boolean moved;
        try {
            moved = kv.moveToLease(current, candidateId, revision, old.id(), fresh.id());
        }
        catch (IOException ex) {
            retireLater(fresh.id());
            throw ex;
        }
        if (!moved) {
            retireLater(fresh.id());
            log.info("{} candidate key {} left lease {} before it could move; campaigning on a new lease", logPrefix, current,
                    Long.toHexString(old.id()));
            return Optional.empty();
        }
        lease = fresh;
        keepAlive.start(fresh);
        retireLater(old.id());
        log.info("{} lease {} was granted by a raft leader since deposed; key {} moved to lease {} of raft term {}", logPrefix,
                Long.toHexString(old.id()), current, Long.toHexString(fresh.id()), fresh.raftTerm());
        return Optional.of(fresh);
    }

    /** Gives up the lease: key deleted and lease revoked now, or left to expire and revoked later. */
    void retire() throws InterruptedException {
        keepAlive.stop();
        try {
            release();
        }
        catch (IOException ex) {
            EtcdKv.Lease old = lease;
            if (old != null) {
                retireLater(old.id());
            }
            log.warn("{} could not revoke lease {}, will retry: {}", logPrefix, old == null ? "" : Long.toHexString(old.id()), ex.toString());
        }
        lease = null;
        key = null;
        revision = 0;
    }

    /** Deletes our key first, so the successor's watch fires at once, then revokes the lease. */
    private void release() throws IOException, InterruptedException {
        EtcdKv.Lease held = lease;
        String current = key;
        if (held == null) {
            return;
        }
        if (current != null) {
            kv.delete(current);
        }
        kv.revoke(held.id());
        lease = null;
    }

    /** On close: stops the keep-alive and revokes the lease, which deletes every key bound to it. */
    void revokeOnClose() throws IOException, InterruptedException {
        keepAlive.stop();
        EtcdKv.Lease last = lease;
        if (last != null) {
            kv.revoke(last.id());
            lease = null;
            revokeStale();
        }
    }

    /** Revokes the leases an earlier attempt could not; each stays for the next try until etcd answers. */
    void revokeStale() throws InterruptedException {
        synchronized (staleLeases) {
            for (int i = staleLeases.size() - 1; i >= 0; i--) {
                try {
                    kv.revoke(staleLeases.get(i));
                    staleLeases.remove(i);
                }
                catch (IOException ex) {
                    log.debug("{} stale lease {} still not revoked: {}", logPrefix, Long.toHexString(staleLeases.get(i)), ex.toString());
                }
            }
        }
    }

    private void retireLater(long leaseId) {
        synchronized (staleLeases) {
            if (staleLeases.size() < MAX_STALE_LEASES) {
                staleLeases.add(leaseId);
            }
        }
    }
}
