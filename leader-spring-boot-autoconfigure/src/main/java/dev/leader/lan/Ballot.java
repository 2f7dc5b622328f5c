package dev.leader.lan;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With a quorum a term is a vote. This candidate backs at most one claimer per term (itself, when
 * it claims), and nobody else while the one it backs still leads or claims: until a lease after it
 * last heard it ({@link LanPeers#expire}), its RESIGN, or a message of it that no longer claims.
 * Its messages name whom it backs, in that term. A claim counts once a majority backs it: their
 * messages name the claimer in its term and echo the claim itself or a later message of it. The
 * majority is of the quorum, or of every candidate known if they are more
 * ({@link LanPeers#knownMembers}). Guarded by the election's monitor.
 *
 * <p>Why two leaders cannot believe at once: a leader believes until the send time of a message
 * of it a majority backed + lease - margin; each of those backers received that message or a
 * later one, so backs nobody else before that send time + lease. A successor needs a majority
 * too, which shares a backer with the first: it cannot be backed, hence granted, before the first
 * stopped believing. Two claims of one term cannot both win, since each peer backs one.
 */
final class Ballot {

    private static final Logger log = LoggerFactory.getLogger(Ballot.class);

    private final LanBackendSettings settings;

    private final LanPeers peers;

    private final PeerId self;

    private final String logPrefix;

    /** The last term this candidate backed someone in; it backs nobody else in it, ever... */
    private long votedTerm;

    private @Nullable PeerId backed;

    /**
     * ...unless it backed itself and gave the claim up: an abandoned claim is never granted, so
     * backing the claimer that won that term instead cannot make two leaders of it.
     */
    private boolean withdrawn;

    /** Our own claim not yet granted: its term (-1: none), its stamp, and when it was made. */
    private long claimTerm = -1;

    private long claimStamp;

    private long claimedAtNanos;

    private boolean overQuorumWarned;

    Ballot(LanBackendSettings settings, LanPeers peers, PeerId self, String logPrefix) {
        this.settings = settings;
        this.peers = peers;
        this.self = self;
        this.logPrefix = logPrefix;
    }

    /**
     * Peers (this one included) that must back a term: a majority of the quorum, or of every
     * candidate we know of if they are more, so that a group grown past its quorum (a rolling
     * deploy's surge) cannot split into two majorities; 0 without a quorum.
     */
    int majority() {
        if (settings.quorum() == 0) {
            return 0;
        }
        int known = peers.knownMembers();
        if (known > settings.quorum() && !overQuorumWarned) {
            log.warn("{} {} candidates known, more than leader.lan.quorum={}: a term now needs a majority of all {};"
                    + " set the quorum to the largest size the group reaches (a rolling deploy's surge included)",
                    logPrefix, known, settings.quorum(), known);
        }
        overQuorumWarned = known > settings.quorum();
        return Math.max(settings.majority(), known / 2 + 1);
    }

    /**
     * From when a majority backs {@code term}, judging by the messages of ours stamped {@code since}
     * (the claim's stamp) or later; -1 while fewer back it. {@code latest}: our latest stamp, the
     * answer when we alone are a majority.
     */
    long backedSince(long term, long since, long latest) {
        int needed = majority() - 1;
        return needed <= 0 ? latest : peers.backedSince(term, since, needed);
    }

    /**
     * Why {@code term}, ours, can no longer be backed by a majority because peers back another
     * claimer in it or a later term; null if it still can (a leader merely left alone keeps its
     * term until its lease runs out).
     */
    @Nullable String outvoted(long term) {
        int backingOthers = peers.backingOthers(term);
        int needed = majority() - 1;
        return backingOthers > 0 && peers.size() - backingOthers < needed ? backingOthers + " of the " + peers.size()
                + " peers we hear back another claimer, too many for " + needed + " to back us" : null;
    }

    /** The peer we back, while it still leads or claims; null if none. */
    LanPeers.@Nullable Peer backedLeader() {
        LanPeers.Peer leader = peers.get(backed);
        return leader != null && leader.claimsLeadership() ? leader : null;
    }

    /**
     * Backs the strongest claim of a term we have not voted in, unless the peer we back still leads
     * or claims the term we backed it in.
     *
     * @return the claimer now backed, whose claim waits for our answer; null if none
     */
    LanPeers.@Nullable Peer backNextClaimer() {
        LanPeers.Peer leader = backedLeader();
        if (leader != null && leader.term() <= votedTerm) {
            return null;
        }
        LanPeers.Peer claimer = peers.claimerAbove(withdrawn ? votedTerm - 1 : votedTerm);
        if (claimer != null) {
            votedTerm = claimer.term();
            backed = claimer.key();
            withdrawn = false;
            log.debug("{} backing {} for term {}", logPrefix, claimer.key(), claimer.term());
        }
        return claimer;
    }

    /** The term our messages name {@code following} in, if we back it: our vote; else -1 (we name nobody). */
    long termBacking(@Nullable PeerId following) {
        return following != null && following.equals(backed) ? votedTerm : -1;
    }

    /** We claim {@code term} with a message stamped {@code stamp}, backing ourselves in it. */
    void claim(long term, long stamp, long nowNanos) {
        votedTerm = term;
        backed = self;
        withdrawn = false;
        claimTerm = term;
        claimStamp = stamp;
        claimedAtNanos = nowNanos;
    }

    boolean claiming() {
        return claimTerm >= 0;
    }

    long claimTerm() {
        return claimTerm;
    }

    /** Only echoes of this stamp or a later one back the claim: echoes of earlier messages back no claim. */
    long claimStamp() {
        return claimStamp;
    }

    /** Why our claim cannot win any more, or null while it may; {@code patienceNanos}: how long it may wait. */
    @Nullable String lost(long nowNanos, long patienceNanos) {
        if (peers.claimerAbove(claimTerm) != null) {
            return "a higher term is claimed";
        }
        if (outvoted(claimTerm) != null) {
            return "too many back another";
        }
        return nowNanos - claimedAtNanos > patienceNanos ? "no majority backed it in time" : null;
    }

    /** The claim was granted, or this candidate closed: the vote in its term stays cast. */
    void claimEnded() {
        claimTerm = -1;
    }

    /** The claim was given up: it is never granted, and this candidate may back the term's winner. */
    void claimAbandoned() {
        claimTerm = -1;
        withdrawn = true;
    }
}
