package dev.leader.lan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Claims are decided only on the receive thread once it has read every queued datagram
 * ({@link #caughtUp}), never on a stale view: a peer resuming from a stall first reads the
 * claim that overtook it, and follows it.
 * A leader believes until its last heartbeat's send time + lease - margin; the others declare
 * it gone a full lease after they last heard it, so a paused leader stops believing first.
 * All state is guarded by this object's monitor; the backend's receive and tick threads and
 * the API callers take it.
 */
final class LanElection extends AbstractElection {

    /** How the election talks to the group; the backend frames, signs and sends. */
    interface Outbox {

        /** The send time on {@link System#nanoTime()}, or -1 if the datagram could not be sent. */
        long send(LanElection from, LanMessage.Type type, int flags, long term, @Nullable String leaderId);
    }

    private record Peer(String id, int priority, boolean eligible, boolean listening, long term,
            @Nullable String leaderId, long lastSeenNanos) {

        boolean claimsLeadership() {
            return id.equals(leaderId);
        }
    }

    private final LanBackendSettings settings;

    private final Outbox outbox;

    private final Consumer<LanElection> closed;

    private final long leaseNanos;

    private final long heartbeatNanos;

    private final long handoffGraceNanos;

    private final Map<String, Peer> peers = new HashMap<>();

    /** Leaders that resigned, with the term they gave up, kept for a lease. */
    private final Map<String, Resigned> resigned = new HashMap<>();

    private record Resigned(long term, long atNanos) {
    }

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

    private long wakeAtNanos;

    private boolean wake;

    /**
     * The term this node granted itself and has not yet handled the end of. Differs from
     * {@link #currentTerm()} between a revoke by another thread (yield, lease watchdog) and
     * its hook; no claim may happen in that gap.
     */
    private @Nullable Leadership held;

    LanElection(String name, String candidateId, LanBackendSettings settings, Outbox outbox,
            Consumer<LanElection> closed) {
        super(name, candidateId, LeaseDeadline.of(settings.lease(), LeaseDeadline.defaultMargin(settings.lease())));
        this.settings = settings;
        this.outbox = outbox;
        this.closed = closed;
        this.leaseNanos = settings.lease().toNanos();
        this.heartbeatNanos = settings.heartbeatInterval().toNanos();
        this.handoffGraceNanos = settings.handoffGrace().toNanos();
    }

    String group() {
        return settings.group() == null ? "" : settings.group();
    }

    int priority() {
        return settings.priority();
    }

    /** The peers heard within the lease, this one excluded. */
    synchronized List<String> livePeers() {
        return new ArrayList<>(peers.keySet());
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
            Peer before = peers.get(message.sender());
            if ((before != null && before.claimsLeadership()) || Optional.of(message.sender()).equals(leaderId())) {
                handoff = true;
                handoffSinceNanos = receivedNanos;
            }
            resigned.put(message.sender(), new Resigned(message.term(), receivedNanos));
            log.debug("{} {} resigned term {}{}", logPrefix, message.sender(), message.term(),
                    message.leaving() ? " and left" : "");
            if (message.leaving()) {
                peers.remove(message.sender());
            }
            else {
                peers.put(message.sender(), new Peer(message.sender(), message.priority(), false, false, message.term(),
                        null, receivedNanos));
            }
        }
        else {
            Peer previous = peers.put(message.sender(), new Peer(message.sender(), message.priority(),
                    message.eligible(), message.listening(), message.term(), message.leaderId(), receivedNanos));
            if (previous == null) {
                // A newcomer learns of us now, not a heartbeat interval later.
                heartbeat(System.nanoTime());
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
        resigned.values().removeIf(r -> now - r.atNanos() > leaseNanos);
        if (handoff && now - handoffSinceNanos > leaseNanos) {
            handoff = false;
        }
        peers.values().removeIf(p -> {
            boolean gone = now - p.lastSeenNanos() > leaseNanos;
            if (gone) {
                log.info("{} peer {} silent for the lease: gone", logPrefix, p.id());
            }
            return gone;
        });
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
        Peer leader = strongestClaim();
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
        if (isClosed() || listening || now - ineligibleUntilNanos < 0 || leaderSeenByOthers()) {
            return;
        }
        if (settings.majority() > 0 && peers.size() + 1 < settings.majority()) {
            return;
        }
        int ahead = ahead();
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

    /**
     * How many eligible peers claim before this one: by rank; during a hand-off, peers ready to
     * claim before those still listening, then by rank.
     */
    private int ahead() {
        int ahead = 0;
        for (Peer peer : peers.values()) {
            if (peer.eligible() && (!handoff ? ranksBefore(peer)
                    : peer.listening() != advertisedListening ? !peer.listening() : ranksBefore(peer))) {
                ahead++;
            }
        }
        return ahead;
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
            log.debug("{} claiming term {} among {}", logPrefix, term, peers.keySet());
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
                renewed(confirmed);
            }
        }
    }

    /**
     * From when a term may be believed. Without a quorum, from the heartbeat's send time: on a
     * LAN nobody can confirm more. With one, from the oldest of the latest heartbeats of a
     * majority (this node included), so a leader cut off from the majority stops believing a
     * lease after it last heard them: about when they declare it gone.
     */
    private long confirmedAt(long sentNanos) {
        int needed = settings.majority() - 1;
        if (needed <= 0) {
            return sentNanos;
        }
        if (peers.size() < needed) {
            return -1;
        }
        long[] seen = peers.values().stream().mapToLong(Peer::lastSeenNanos).sorted().toArray();
        return Math.min(sentNanos, seen[seen.length - needed]);
    }

    /**
     * Whether a peer follows a leader we have not heard ourselves: one beyond our reach (a
     * partition healing, or one-way loss), or one that peer has not yet found dead. Claiming
     * now would unseat a live leader, so we wait for that peer to hear of it or drop it.
     */
    private boolean leaderSeenByOthers() {
        for (Peer peer : peers.values()) {
            String reported = peer.leaderId();
            if (reported == null || reported.equals(peer.id()) || reported.equals(candidateId())) {
                continue;
            }
            Resigned gaveUp = resigned.get(reported);
            if (gaveUp != null && peer.term() <= gaveUp.term()) {
                // That peer's report predates the leader's RESIGN, which we heard: not a live
                // leader beyond our reach, so no reason to wait for the peer's next heartbeat.
                continue;
            }
            Peer leader = peers.get(reported);
            if (leader == null || leader.claimsLeadership()) {
                return true;
            }
        }
        return false;
    }

    private @Nullable Peer strongestClaim() {
        Peer best = null;
        for (Peer peer : peers.values()) {
            if (peer.claimsLeadership() && (best == null
                    || beats(peer.term(), peer.priority(), peer.id(), best.term(), best.priority(), best.id()))) {
                best = peer;
            }
        }
        return best;
    }

    private boolean ranksBefore(Peer peer) {
        return peer.priority() != settings.priority() ? peer.priority() > settings.priority()
                : peer.id().compareTo(candidateId()) < 0;
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
