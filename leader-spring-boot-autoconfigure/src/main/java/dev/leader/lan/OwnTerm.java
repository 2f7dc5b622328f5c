package dev.leader.lan;

import java.util.function.ObjLongConsumer;
import java.util.function.Supplier;
import dev.leader.election.LeaseDeadline;
import dev.leader.election.Leadership;
import org.jspecify.annotations.Nullable;

/**
 * The term this candidate claims and holds: how it is granted, renewed and outvoted. Without a
 * quorum a claim is granted at once, each heartbeat's send time renews the term, and a stronger
 * claim heard ({@link LanPeers#beats}) outvotes it. With a quorum ({@link Ballot}) a claim is
 * granted once a majority backs it, the term is renewed by the send time of the latest message of
 * ours a majority backed since the claim, and outvoted once the peers we hear can no longer back
 * it by a majority.
 *
 * <p>Guarded by the election's monitor, which every caller holds. Threads: {@link #claimed} and
 * {@link #confirm} run on the backend's receive thread; {@link #outvoted} and
 * {@link #echoedLately} on the receive or the tick thread; {@link #heartbeatSent} there or on an
 * API caller's thread in a hook (start, withdraw, rejoin); {@link #ended} on a step-down (receive
 * or tick thread) and in the hooks (yield, withdraw, close on an API caller's thread, lease expiry
 * on the lease watchdog's). The core's {@code grant} and {@code renewed} are called on those
 * threads, under that monitor, as the election called them.
 */
final class OwnTerm {

    /** {@code AbstractElection.grant}. */
    @FunctionalInterface
    interface Grant {
        boolean grant(long fencingToken, long confirmedSendNanos);
    }

    private final LanBackendSettings settings;

    private final PeerId self;

    private final LanPeers peers;

    private final Ballot ballot;

    private final Grant grant;

    private final ObjLongConsumer<Leadership> renewed;

    private final Supplier<@Nullable Leadership> currentTerm;

    private final long heartbeatNanos;

    /** Lease - margin: how long a confirmed send time is believed. */
    private final long beliefNanos;

    /** The stamp of our claim of the term we hold: echoes of earlier messages confirm nothing. */
    private long termStamp;

    /**
     * The term this node granted itself and has not yet handled the end of. Differs from
     * {@code currentTerm()} between a revoke by another thread (yield, lease watchdog) and
     * its hook; no claim may happen in that gap.
     */
    private @Nullable Leadership held;

    /**
     * @param grant the core's {@code grant}
     * @param renewed the core's {@code renewed}
     * @param currentTerm the core's {@code currentTerm}
     */
    OwnTerm(LanBackendSettings settings, PeerId self, LanPeers peers, Ballot ballot, Grant grant,
            ObjLongConsumer<Leadership> renewed, Supplier<@Nullable Leadership> currentTerm) {
        this.settings = settings;
        this.self = self;
        this.peers = peers;
        this.ballot = ballot;
        this.grant = grant;
        this.renewed = renewed;
        this.currentTerm = currentTerm;
        this.heartbeatNanos = settings.heartbeatInterval().toNanos();
        this.beliefNanos = settings.lease().toNanos() - LeaseDeadline.defaultMargin(settings.lease()).toNanos();
    }

    /** Whether a term of ours is held and its end not yet handled. */
    boolean held() {
        return held != null;
    }

    /** The end of our term is handled (or there was none). */
    void ended() {
        held = null;
    }

    /** Our claim of {@code term} went out at {@code sent}. */
    void claimed(long term, long sent, long now) {
        if (settings.quorum() == 0) {
            if (grant.grant(term, sent)) {
                held = currentTerm.get();
                termStamp = sent;
            }
            return;
        }
        ballot.claim(term, sent, now);
        confirm();
    }

    /**
     * With a quorum: renews our term, or grants our claim, from what the peers back. A grant the
     * core refuses (the backing is older than half the belief) is "not yet": the claim stays open,
     * and its next heartbeats, which the backers echo, bring a fresher backing.
     */
    void confirm() {
        Leadership mine = currentTerm.get();
        if (mine != null) {
            long confirmed = ballot.backedSince(mine.fencingToken(), termStamp, -1);
            if (confirmed >= 0) {
                renewed.accept(mine, confirmed);
            }
        }
        else if (held == null && ballot.claiming()) {
            long confirmed = ballot.backedSince(ballot.claimTerm(), ballot.claimStamp(), ballot.claimStamp());
            if (confirmed >= 0 && grant.grant(ballot.claimTerm(), confirmed)) {
                held = currentTerm.get();
                termStamp = ballot.claimStamp();
                ballot.claimEnded();
            }
        }
    }

    /** A heartbeat of ours went out at {@code sent} while we hold {@code mine}. */
    void heartbeatSent(Leadership mine, long sent) {
        long confirmed = settings.quorum() == 0 ? sent : ballot.backedSince(mine.fencingToken(), termStamp, sent);
        if (confirmed >= 0) {
            renewed.accept(mine, Math.min(sent, confirmed));
        }
    }

    /** Why another claim outranks our term {@code mine}; null while none does. */
    @Nullable String outvoted(Leadership mine) {
        if (settings.quorum() > 0) {
            return ballot.outvoted(mine.fencingToken());
        }
        LanPeers.Peer leader = peers.strongestClaim();
        return leader != null && LanPeers.beats(leader.term(), leader.priority(), leader.key(), mine.fencingToken(),
                settings.priority(), self) ? leader.key() + " leads term " + leader.term() : null;
    }

    /**
     * Whether a term claimed now would stay confirmed for a heartbeat interval, so that the
     * peers' answers to the claim, or their next heartbeats if those are lost, renew it in time.
     * Every peer echoes our latest message in each of its own, so this fails for a moment at most,
     * unless our datagrams do not reach them: a claim then could not be backed in time.
     */
    boolean echoedLately(long now, int majority) {
        long echoed = peers.echoedBy(majority - 1);
        return echoed >= 0 && echoed + beliefNanos - now >= heartbeatNanos;
    }
}
