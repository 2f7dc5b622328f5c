package dev.leader.etcd;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * One candidate's key {@code <prefix><election>/<lease id hex>}, bound to the backend's
 * {@link SharedLease}: created on the current lease, moved to a lease of a newer raft term
 * keeping its create revision, deleted on a yield or withdrawal. Changed on the election's lane
 * (and by its close); read by the keep-alive's callbacks.
 */
final class CandidateKey {

    /** gRPC NOT_FOUND: etcd's "requested lease not found". */
    private static final int NOT_FOUND = 5;

    private final EtcdKv kv;

    private final SharedLease shared;

    private final String electionPrefix;

    private final String candidateId;

    private volatile @Nullable String key;

    /** The lease the key is bound to; 0 without a key. */
    private volatile long leaseId;

    /** The key's create revision; 0 until it is created. */
    private volatile long revision;

    CandidateKey(EtcdKv kv, SharedLease shared, String electionPrefix, String candidateId) {
        this.kv = kv;
        this.shared = shared;
        this.electionPrefix = electionPrefix;
        this.candidateId = candidateId;
    }

    @Nullable String key() {
        return key;
    }

    long leaseId() {
        return leaseId;
    }

    /** Whether our key is bound to {@code id} now. */
    boolean isOn(long id) {
        return id != 0 && leaseId == id;
    }

    /** Whether we have a key bound to a lease other than {@code id}. */
    boolean isOnAnotherThan(long id) {
        return key != null && leaseId != id;
    }

    /**
     * Creates our key on {@code lease} unless it exists (a create whose reply was lost is found
     * and reused). A lease etcd no longer has is reported to the shared lease, which grants anew.
     */
    void ensure(EtcdKv.Lease lease) throws IOException, InterruptedException {
        if (key == null) {
            key = electionPrefix + Long.toHexString(lease.id());
            leaseId = lease.id();
            revision = 0;
        }
        String current = key;
        if (revision == 0 && current != null) {
            try {
                revision = kv.createIfAbsent(current, candidateId, leaseId);
            }
            catch (EtcdException ex) {
                if (ex.code() == NOT_FOUND) {
                    shared.lostOnServer(leaseId);
                    forget();
                }
                throw ex;
            }
        }
    }

    /**
     * Binds our key to {@code lease}, if it is still bound to the lease we left it on. The key
     * keeps its create revision, so our place in line and the token of a term we hold do not
     * change.
     *
     * @return false when the key left the old lease first (expired, revoked, deleted): it is
     *         forgotten, and its term, if any, is over
     */
    boolean moveTo(EtcdKv.Lease lease) throws IOException, InterruptedException {
        String current = key;
        if (current == null || revision == 0) {
            forget();
            return false;
        }
        if (kv.moveToLease(current, candidateId, revision, leaseId, lease.id())) {
            leaseId = lease.id();
            return true;
        }
        forget();
        return false;
    }

    /** Deletes our key, so the successor's watch fires at once; kept for another try if etcd cannot be reached. */
    void delete() throws IOException, InterruptedException {
        String current = key;
        if (current != null) {
            kv.delete(current);
        }
        forget();
    }

    /** Our key is gone on the server (seen missing when read): the next step creates another. */
    void forget() {
        key = null;
        leaseId = 0;
        revision = 0;
    }
}
