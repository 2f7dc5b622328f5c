package dev.leader.lan;

/**
 * When one candidate may claim, once no leader is live: not while it listens (a new peer for a
 * heartbeat interval, so that peers started together know each other first), not while it
 * stands aside after yielding, and in a hand-off only in its place. After the RESIGN of the
 * leader they followed, peers that are ready come before those still listening (a JVM that just
 * started, which heard the leader, so need not listen on), each group by rank; the first claims
 * at once, and each next one when all before it stayed silent for a
 * {@linkplain LanBackendSettings#handoffGrace() grace} each. A stalled best peer thus delays a
 * hand-off by one grace, not until it wakes up or expires. Guarded by the election's monitor.
 */
final class Campaign {

    /** What {@link #turn} found. */
    enum Turn {
        /** Not ours: listening, standing aside, or a better-ranked peer goes first. */
        WAIT,
        /** Ours once the peers before us stayed silent until {@link #wakeAtNanos()}. */
        WAKE,
        /** Ours now. */
        CLAIM
    }

    private final long leaseNanos;

    private final long heartbeatNanos;

    private final long handoffGraceNanos;

    private long campaignFromNanos;

    private long ineligibleUntilNanos;

    /** Withdrawn from the election: not eligible until rejoined. */
    private boolean withdrawn;

    /** Whether our last heartbeat said we were still listening: we rank ourselves as the others do. */
    private boolean advertisedListening;

    /** A leader resigned at {@link #handoffSinceNanos} and nobody has claimed since. */
    private boolean handoff;

    private long handoffSinceNanos;

    private long wakeAtNanos;

    Campaign(LanBackendSettings settings) {
        this.leaseNanos = settings.lease().toNanos();
        this.heartbeatNanos = settings.heartbeatInterval().toNanos();
        this.handoffGraceNanos = settings.handoffGrace().toNanos();
    }

    /** Listen for a heartbeat interval, plus {@code extraNanos}, before claiming. */
    void listen(long nowNanos, long extraNanos) {
        campaignFromNanos = nowNanos + heartbeatNanos + extraNanos;
    }

    /** We yielded: stand aside until another peer leads, or a lease passes with nobody else eligible. */
    void standAside(long nowNanos) {
        ineligibleUntilNanos = nowNanos + leaseNanos;
    }

    void eligibleAgain() {
        ineligibleUntilNanos = 0;
    }

    /** Not eligible, whoever leads, until {@link #rejoin()}. */
    void withdraw() {
        withdrawn = true;
        handoff = false;
    }

    void rejoin() {
        withdrawn = false;
        ineligibleUntilNanos = 0;
    }

    boolean eligible(long nowNanos) {
        return !withdrawn && nowNanos - ineligibleUntilNanos >= 0;
    }

    boolean listening(long nowNanos) {
        return nowNanos - campaignFromNanos < 0;
    }

    /** What our heartbeat just told the others, so that we order ourselves as they do. */
    void advertised(boolean listening) {
        advertisedListening = listening;
    }

    /** Whether we have said we listen, and have stopped: the others must hear it at once. */
    boolean doneListening(long nowNanos) {
        return advertisedListening && !listening(nowNanos);
    }

    /** The leader we followed resigned, at {@code atNanos}. */
    void handoff(long atNanos) {
        handoff = true;
        handoffSinceNanos = atNanos;
    }

    /** Someone leads, or claimed: the hand-off is over. */
    void leaderFound() {
        handoff = false;
    }

    /** A hand-off nobody took up in a lease is over too. */
    void expire(long nowNanos) {
        if (handoff && nowNanos - handoffSinceNanos > leaseNanos) {
            handoff = false;
        }
    }

    /** We claim: we no longer listen, and the hand-off is ours. */
    void claimed() {
        advertisedListening = false;
        handoff = false;
    }

    /** Whether it is our turn to claim now, given the peers we hear (there is no live leader). */
    Turn turn(long nowNanos, LanPeers peers) {
        // Listening is how a newcomer learns the leader and the peers (who all answer it at their next tick);
        // one that heard the RESIGN of the leader it followed knows them, so it takes its place in
        // the hand-off: after every peer that is ready, by rank.
        if ((!handoff && listening(nowNanos)) || !eligible(nowNanos)) {
            return Turn.WAIT;
        }
        int ahead = peers.ahead(handoff, advertisedListening);
        if (ahead == 0) {
            return Turn.CLAIM;
        }
        if (!handoff) {
            return Turn.WAIT;
        }
        wakeAtNanos = handoffSinceNanos + ahead * handoffGraceNanos;
        return nowNanos - wakeAtNanos < 0 ? Turn.WAKE : Turn.CLAIM;
    }

    long wakeAtNanos() {
        return wakeAtNanos;
    }

    boolean inHandoff() {
        return handoff;
    }

    long handoffSinceNanos() {
        return handoffSinceNanos;
    }
}
