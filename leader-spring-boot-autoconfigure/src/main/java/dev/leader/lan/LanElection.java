package dev.leader.lan;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import dev.leader.election.AbstractElection;
import dev.leader.election.ElectionState;
import dev.leader.election.LeaseDeadline;
import dev.leader.election.Leadership;
import dev.leader.election.RevokeReason;
import org.jspecify.annotations.Nullable;

/**
 * One candidate of the LAN backend. Every peer heartbeats; each keeps a table of the peers it
 * heard within the lease. The rules, applied by every peer to the same table:
 * <ol>
 * <li>A live leader is followed, whoever ranks better: an incumbent is never unseated by a
 * newcomer, so nothing flaps when peers join.</li>
 * <li>Of two leaders (a healed partition) the higher term wins, then the higher priority,
 * then the lower candidate id; the loser steps down ({@link RevokeReason#PREEMPTED}).</li>
 * <li>With no live leader, the eligible peer of the highest priority and then lowest id claims
 * the term after the highest it has seen. A new peer first listens for one heartbeat interval,
 * and answers newcomers at once, so peers started together know each other before anyone
 * claims: one round.</li>
 * <li>After the RESIGN of the leader they followed, peers that are ready come before those
 * still listening (a JVM that just started, which heard the leader, so need not listen on),
 * each group by rank; the first claims at once, and each next one when all before it stayed
 * silent for a {@linkplain LanBackendSettings#handoffGrace() grace} each. A stalled best peer
 * thus delays a hand-off by one grace, not until it wakes up or expires.</li>
 * </ol>
 * <p>Claims are decided only on the receive thread once it has read every queued datagram
 * ({@link #caughtUp}), never on a stale view: a peer resuming from a stall first reads the
 * claim that overtook it, and follows it.
 *
 * <p>A peer declares the leader gone a full lease after it last received a message from it. With
 * a quorum ({@code leader.lan.quorum}), a leader believes until the send time of its last round
 * trip confirmed by a majority + lease - margin: every message echoes, for each peer, the stamp
 * (send time) of the latest message received from that peer, and a leader takes the
 * (majority - 1)-th latest echo of its own stamps among its peers ({@link LanPeers#echoedByMajority}).
 * Each of those peers received it after that stamp, so none declares it gone before the stamp +
 * lease; the leader stops believing a margin earlier, whether it is paused, cut off, or only its
 * own datagrams are lost. It renews as soon as an echo arrives, and a peer claims only while
 * echoes of its own stamps would keep the new term confirmed for a heartbeat interval. Without a
 * quorum a leader believes until its last heartbeat's send time + lease - margin: a paused
 * leader stops believing first, but one that is cut off or whose datagrams alone are lost goes
 * on (without a quorum the backend is available, not consistent).
 *
 * <p>All state is guarded by this object's monitor; the backend's receive and tick threads and
 * the API callers take it.
 */
final class LanElection extends AbstractElection {

    /**
     * How the election talks to the group; the backend stamps, frames (with our
     * {@link #stamping(long) echoes}), signs and sends.
     */
    interface Outbox {

        /**
         * The send time on {@link System#nanoTime()}, the message's stamp, or -1 if the datagram
         * could not be sent.
         */
        long send(LanElection from, LanMessage.Type type, int flags, long term, @Nullable String leaderId);
    }

    private final LanBackendSettings settings;

    private final Outbox outbox;

    private final Consumer<LanElection> closed;

    private final long leaseNanos;

    private final long heartbeatNanos;

    private final long handoffGraceNanos;

    /** Lease - margin: how long a confirmed send time is believed. */
    private final long beliefNanos;

    /** Only an echo of one of these confirms us. */
    private final OwnStamps stamps;

    private final LanPeers peers;

    private boolean campaigning;

    private long maxTerm;

    private long campaignFromNanos;

    private long ineligibleUntilNanos;

    private long lastHeartbeatNanos;

    private long lastTickNanos;

    /** Whether our last heartbeat said we were still listening: we rank ourselves as the others do. */
    private boolean advertisedListening;

    /** A leader resigned at {@link #handoffSinceNanos} and nobody has claimed since. */
    private boolean handoff;

    private long handoffSinceNanos;

    /** A claim is due, or a hand-off deadline has moved: only {@link #caughtUp} may act on it. */
    private boolean decisionPending;

    /** The next hand-off deadline, for {@link #caughtUp} to report: {@code wake} says there is one. */
    private long wakeAtNanos;

    private boolean wake;

    /**
     * The term this node granted itself and has not yet handled the end of. Differs from
     * {@link #currentTerm()} between a revoke by another thread (yield, lease watchdog) and
     * its hook; no claim may happen in that gap.
     */
    private @Nullable Leadership held;

    LanElection(String name, String candidateId, LanBackendSettings settings, long incarnation, Outbox outbox,
            Consumer<LanElection> closed) {
        super(name, candidateId, LeaseDeadline.of(settings.lease(), LeaseDeadline.defaultMargin(settings.lease())));
        this.settings = settings;
        this.outbox = outbox;
        this.closed = closed;
        this.leaseNanos = settings.lease().toNanos();
        this.heartbeatNanos = settings.heartbeatInterval().toNanos();
        this.handoffGraceNanos = settings.handoffGrace().toNanos();
        this.beliefNanos = leaseNanos - LeaseDeadline.defaultMargin(settings.lease()).toNanos();
        this.stamps = new OwnStamps(incarnation, leaseNanos);
        this.peers = new LanPeers(candidateId, settings.priority(), leaseNanos, stamps);
    }

    String group() {
        return settings.group() == null ? "" : settings.group();
    }

    int priority() {
        return settings.priority();
    }

    /** The peers heard within the lease, this one excluded. */
    synchronized List<String> livePeers() {
        return peers.ids();
    }

    /**
     * The backend stamps a message of ours (from {@link Outbox#send}, under our monitor): what it
     * echoes, the peer we follow first, should a datagram not hold them all.
     */
    synchronized List<LanMessage.Echo> stamping(long stamp) {
        stamps.add(stamp);
        return peers.echoes(leaderId().orElse(null));
    }

    // ---- hooks ----

    @Override
    protected synchronized void onStart() {
        long now = System.nanoTime();
        campaigning = true;
        campaignFromNanos = now + heartbeatNanos;
        lastTickNanos = now;
        heartbeat(now);
    }

    @Override
    protected synchronized void onYield(Leadership term) {
        held = null;
        // Stand aside until another peer leads (or a lease passes with nobody else eligible).
        ineligibleUntilNanos = System.nanoTime() + leaseNanos;
        outbox.send(this, LanMessage.Type.RESIGN, 0, term.fencingToken(), null);
    }

    @Override
    protected void onClose(@Nullable Leadership held) {
        synchronized (this) {
            if (campaigning) {
                campaigning = false;
                outbox.send(this, LanMessage.Type.RESIGN, LanMessage.LEAVING,
                        held == null ? maxTerm : held.fencingToken(), null);
            }
            peers.clear();
            held = null;
        }
        closed.accept(this);
    }

    @Override
    protected synchronized void onLeaseExpired(Leadership term) {
        held = null;
        // Our heartbeats stalled (a pause, or no quorum in sight): listen again before claiming,
        // so the buffered heartbeats of whoever took over are heard first.
        campaignFromNanos = System.nanoTime() + heartbeatNanos;
    }

    // ---- driven by the backend ----

    synchronized void receive(LanMessage message, long receivedNanos) {
        if (!campaigning || message.sender().equals(candidateId())) {
            return;
        }
        maxTerm = Math.max(maxTerm, message.term());
        if (message.type() == LanMessage.Type.RESIGN) {
            log.debug("{} {} resigned term {}{}", logPrefix, message.sender(), message.term(),
                    message.leaving() ? " and left" : "");
            if (peers.resign(message, receivedNanos) || Optional.of(message.sender()).equals(leaderId())) {
                handoff = true;
                handoffSinceNanos = receivedNanos;
            }
        }
        else {
            if (peers.heartbeat(message, receivedNanos) == null) {
                // A newcomer learns of us now, not a heartbeat interval later.
                heartbeat(System.nanoTime());
            }
        }
        Leadership term = currentTerm();
        if (settings.majority() > 1 && term != null) {
            // An echo is a confirmation: the deadline moves now, not at our next heartbeat.
            long confirmed = peers.echoedByMajority(settings.majority() - 1);
            if (confirmed >= 0) {
                renewed(term, confirmed);
            }
        }
        evaluate(System.nanoTime(), false);
    }

    /**
     * The receive thread has read every datagram queued so far: the one place claims are made.
     *
     * @return nanoseconds until a hand-off deadline, when this should be called again even if
     *         nothing arrives; -1 if none
     */
    synchronized long caughtUp(long now) {
        if (!campaigning) {
            return -1;
        }
        wake = false;
        evaluate(now, true);
        return wake ? Math.max(0, wakeAtNanos - now) : -1;
    }

    /** @return whether {@link #caughtUp} should run soon: a claim is due, or a deadline moved */
    synchronized boolean tick() {
        if (!campaigning) {
            return false;
        }
        long now = System.nanoTime();
        if (now - lastTickNanos > leaseNanos / 2) {
            log.warn("{} no tick for {} ms (paused?); listening before campaigning", logPrefix,
                    (now - lastTickNanos) / 1_000_000);
            campaignFromNanos = now + heartbeatNanos;
        }
        lastTickNanos = now;
        if (handoff && now - handoffSinceNanos > leaseNanos) {
            handoff = false;
        }
        peers.expire(now, id -> log.info("{} peer {} silent for the lease: gone", logPrefix, id));
        decisionPending = false;
        evaluate(now, false);
        // Done listening: say so at once, or the others would pass us over in a hand-off.
        if (now - lastHeartbeatNanos >= heartbeatNanos || (advertisedListening && now - campaignFromNanos >= 0)) {
            heartbeat(now);
        }
        return decisionPending;
    }

    // ---- the rules ----

    /** @param caughtUp whether every queued datagram has been read: only then may we claim */
    private void evaluate(long now, boolean caughtUp) {
        Leadership mine = currentTerm();
        LanPeers.Peer leader = peers.strongestClaim();
        if (mine != null) {
            if (leader != null && beats(leader.term(), leader.priority(), leader.id(), mine.fencingToken(),
                    settings.priority(), candidateId())) {
                log.info("{} {} leads term {} over our term {}: stepping down", logPrefix, leader.id(), leader.term(),
                        mine.fencingToken());
                if (revoke(mine, RevokeReason.PREEMPTED, ElectionState.FOLLOWER)) {
                    held = null;
                    follow(leader.id());
                    heartbeat(now);
                }
            }
            return;
        }
        if (held != null) {
            return;
        }
        if (leader != null) {
            handoff = false;
            boolean changed = !Optional.of(leader.id()).equals(leaderId());
            follow(leader.id());
            if (changed) {
                // Someone else took over: a yield is done, and the others must know at once that
                // we are eligible again, or two of them could each think itself the best.
                ineligibleUntilNanos = 0;
                heartbeat(now);
            }
            return;
        }
        if (leaderId().isPresent()) {
            follow(null);
            // The others wait for our word before claiming (below): give it now.
            heartbeat(now);
        }
        // Listening is how a newcomer learns the leader and the peers (who all answer it at
        // once); one that heard the RESIGN of the leader it followed knows them, so it takes its
        // place in the hand-off: after every peer that is ready, by rank.
        boolean listening = !handoff && now - campaignFromNanos < 0;
        if (isClosed() || listening || now - ineligibleUntilNanos < 0 || peers.leaderSeenByOthers()) {
            return;
        }
        if (settings.majority() > 0 && peers.size() + 1 < settings.majority()) {
            return;
        }
        int ahead = peers.ahead(handoff, advertisedListening);
        if (ahead > 0) {
            if (!handoff) {
                return;
            }
            long due = handoffSinceNanos + ahead * handoffGraceNanos;
            if (now - due < 0) {
                wake = true;
                wakeAtNanos = due;
                decisionPending = true;
                return;
            }
        }
        if (settings.majority() > 1 && !echoedLately(now)) {
            // The peers' next messages, which echo our latest one, bring the receive thread back here.
            return;
        }
        if (!caughtUp) {
            decisionPending = true;
            return;
        }
        if (ahead > 0) {
            log.debug("{} {} peer(s) before us silent {} ms after the RESIGN: claiming", logPrefix, ahead,
                    (now - handoffSinceNanos) / 1_000_000);
        }
        claim(now);
    }

    private void claim(long now) {
        long term = maxTerm + 1;
        long sent = outbox.send(this, LanMessage.Type.HEARTBEAT, LanMessage.ELIGIBLE, term, candidateId());
        if (sent < 0) {
            return;
        }
        maxTerm = term;
        lastHeartbeatNanos = now;
        advertisedListening = false;
        handoff = false;
        long confirmed = confirmedAt(sent);
        if (confirmed >= 0) {
            log.debug("{} claiming term {} among {}", logPrefix, term, peers.ids());
            if (grant(term, confirmed)) {
                held = currentTerm();
            }
        }
    }

    private void heartbeat(long now) {
        Leadership mine = currentTerm();
        boolean eligible = now - ineligibleUntilNanos >= 0;
        boolean listening = mine == null && now - campaignFromNanos < 0;
        long sent = outbox.send(this, LanMessage.Type.HEARTBEAT,
                (eligible ? LanMessage.ELIGIBLE : 0) | (listening ? LanMessage.LISTENING : 0),
                mine != null ? mine.fencingToken() : maxTerm, mine != null ? candidateId() : leaderId().orElse(null));
        lastHeartbeatNanos = now;
        if (sent >= 0) {
            advertisedListening = listening;
        }
        if (mine != null && sent >= 0) {
            long confirmed = confirmedAt(sent);
            if (confirmed >= 0) {
                renewed(mine, confirmed);
            }
        }
    }

    /** From when a term may be believed, for a message of ours sent at {@code sentNanos}; -1 if not yet. */
    private long confirmedAt(long sentNanos) {
        return peers.confirmedAt(sentNanos, settings.majority() - 1);
    }

    /**
     * Whether a term claimed now would stay confirmed for a heartbeat interval, so that the
     * peers' answers to the claim, or their next heartbeats if those are lost, renew it in time.
     * Every peer echoes our latest message in each of its own, so this fails for a moment at most,
     * unless our datagrams do not reach them: a term claimed then would lapse at once.
     */
    private boolean echoedLately(long now) {
        long echoed = peers.echoedByMajority(settings.majority() - 1);
        return echoed >= 0 && echoed + beliefNanos - now >= heartbeatNanos;
    }

    /** Whether claim a beats claim b: higher term, then higher priority, then lower id. */
    static boolean beats(long termA, int priorityA, String idA, long termB, int priorityB, String idB) {
        if (termA != termB) {
            return termA > termB;
        }
        if (priorityA != priorityB) {
            return priorityA > priorityB;
        }
        return idA.compareTo(idB) < 0;
    }
}
