package dev.leader.etcd;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one lease alive with a keep-alive every third of the lease, and keeps our own account
 * of it: the send time of the last acknowledged keep-alive. A keep-alive result for our lease
 * without a TTL means etcd no longer has the lease; that is a lost lease at once, not a silence
 * to wait out. Any other answer (a member without a leader, a learner, a timeout) says nothing
 * about the lease: the next endpoint is tried, and our deadline decides.
 *
 * <p>etcd renews a lease on its raft leader's word alone, without a quorum (etcd#15247): a
 * leader cut off from its peers, or stalled, answers keep-alives until its own election timeout
 * ends its term, while the other members have elected a leader whose copy of the lease runs out.
 * So an acknowledgement counts only once a linearizable read, sent after it to the same member,
 * comes back in the same raft term: a quorum then confirmed that term's leader after the renewal.
 *
 * <p>A deposed leader can also revoke a lease: when it runs again after a stall, its lessor may
 * still take itself for the primary and revoke every lease whose last renewal it saw more than a
 * TTL ago, through the new leader (etcd#12528). Only renewals by the leader that granted the
 * lease are therefore counted; an answer from a later raft term is reported to the listener,
 * which moves its key to a lease of that term, and is not counted.
 */
final class LeaseKeepAlive {

    interface Listener {

        void acknowledged(long leaseId, long sendNanos);

        void lost(long leaseId);

        /**
         * A keep-alive of the lease was answered in a raft term later than the one that granted
         * it: a deposed leader may still revoke the lease, so it no longer vouches for anything.
         */
        void grantedByDeposedLeader(long leaseId);
    }

    private static final Logger log = LoggerFactory.getLogger(LeaseKeepAlive.class);

    private final EtcdKv kv;

    private final ScheduledExecutorService scheduler;

    private final Duration interval;

    private final long validNanos;

    private final Listener listener;

    private final String logPrefix;

    private volatile long leaseId;

    private volatile long lastAckSendNanos;

    /** The raft term whose leader granted the lease; 0 if not known, and then no renewal counts. */
    private volatile long homeTerm;

    private volatile @Nullable ScheduledFuture<?> next;

    /** For tests: no keep-alive is sent for this lease id, as if this process were cut off from etcd. */
    volatile long pausedLease;

    LeaseKeepAlive(EtcdKv kv, ScheduledExecutorService scheduler, EtcdBackendSettings settings, Listener listener,
            String logPrefix) {
        this.kv = kv;
        this.scheduler = scheduler;
        this.interval = settings.keepAliveInterval();
        this.validNanos = settings.leaseDuration().minus(settings.margin()).toNanos();
        this.listener = listener;
        this.logPrefix = logPrefix;
    }

    synchronized void start(EtcdKv.Lease lease) {
        stop();
        leaseId = lease.id();
        lastAckSendNanos = lease.sendNanos();
        homeTerm = lease.raftTerm();
        schedule(lease.id(), interval.toNanos());
    }

    synchronized void stop() {
        leaseId = 0;
        ScheduledFuture<?> pending = next;
        if (pending != null) {
            pending.cancel(false);
        }
        next = null;
    }

    long lastAckSendNanos() {
        return lastAckSendNanos;
    }

    /**
     * One keep-alive now, on the caller's thread, for a candidate about to lead whose last
     * acknowledgement is too old to vouch for the lease.
     *
     * @return true if etcd still has the lease; our account then runs from this send
     * @throws IOException when etcd cannot say, which is not the same as a lost lease
     */
    boolean renewNow() throws IOException, InterruptedException {
        long id = leaseId;
        if (id == 0 || pausedLease == id) {
            return false;
        }
        long send = System.nanoTime();
        EtcdKv.KeepAlive answer = kv.keepAlive(id, interval);
        if (answer.ttl() > 0 && leaseId == id && confirmedByQuorum(id, answer) && byGrantingLeader(id, answer)) {
            lastAckSendNanos = Math.max(lastAckSendNanos, send);
            return true;
        }
        return false;
    }

    private boolean byGrantingLeader(long id, EtcdKv.KeepAlive answer) {
        if (answer.answerer().raftTerm() == homeTerm) {
            return true;
        }
        listener.grantedByDeposedLeader(id);
        return false;
    }

    /** Whether a quorum confirmed, after it, the raft term in which the keep-alive was answered. */
    private boolean confirmedByQuorum(long id, EtcdKv.KeepAlive answer) throws IOException, InterruptedException {
        EtcdKv.Answerer after = kv.quorumRead(interval);
        if (after.equals(answer.answerer())) {
            return true;
        }
        log.warn("{} keep-alive of lease {} was answered by member {} in raft term {}, which a quorum did not confirm"
                + " (then member {}, term {}): not counted", logPrefix, Long.toHexString(id), answer.answerer().memberId(),
                answer.answerer().raftTerm(), after.memberId(), after.raftTerm());
        return false;
    }

    /** Whether, by our own clock, the lease is surely still alive on the server. */
    boolean isValid() {
        return leaseId != 0 && lastAckSendNanos + validNanos - System.nanoTime() > 0;
    }

    private void schedule(long id, long delayNanos) {
        synchronized (this) {
            if (leaseId != id || scheduler.isShutdown()) {
                return;
            }
            next = scheduler.schedule(() -> beat(id), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        }
    }

    private void beat(long id) {
        if (leaseId != id) {
            return;
        }
        long send = System.nanoTime();
        if (pausedLease != id) {
            try {
                EtcdKv.KeepAlive answer = kv.keepAlive(id, interval);
                if (leaseId != id) {
                    return;
                }
                if (answer.ttl() <= 0) {
                    log.warn("{} etcd no longer has lease {}", logPrefix, Long.toHexString(id));
                    stop();
                    listener.lost(id);
                    return;
                }
                if (confirmedByQuorum(id, answer) && leaseId == id && byGrantingLeader(id, answer)) {
                    lastAckSendNanos = Math.max(lastAckSendNanos, send);
                    listener.acknowledged(id, send);
                }
            }
            catch (IOException ex) {
                // Our deadline, not this error, decides when leadership ends: etcd may simply be slow.
                log.warn("{} keep-alive of lease {} failed: {}", logPrefix, Long.toHexString(id), ex.toString());
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
            catch (RuntimeException ex) {
                log.warn("{} keep-alive of lease {} failed", logPrefix, Long.toHexString(id), ex);
            }
        }
        schedule(id, send + interval.toNanos() - System.nanoTime());
    }
}
