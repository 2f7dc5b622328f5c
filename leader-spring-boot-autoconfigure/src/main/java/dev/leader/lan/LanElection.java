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
 * </ol>
 * A peer declares the leader gone a full lease after it last received a message from it. With
 * a quorum ({@code leader.lan.quorum}), a leader believes until the send time of its last round
 * trip confirmed by a majority + lease - margin: every message echoes, for each peer, the stamp
 * (send time) of the latest message received from that peer, and a leader takes the
 * (majority - 1)-th latest echo of its own stamps among its peers. Each of those peers received
 * it after that stamp, so none declares it gone before the stamp + lease; the leader stops
 * believing a margin earlier, whether it is paused, cut off, or only its own datagrams are lost.
 * Without a quorum a leader believes until its last heartbeat's send time + lease - margin: a
 * paused or cut-off leader stops believing first, but one whose datagrams alone are lost may not
 * (without a quorum the backend is available, not consistent).
 * All state is guarded by this object's monitor; the backend's receive and tick threads and
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

    /**
     * {@code stamp}: that of its latest message, which we echo; {@code echoOfUs}: the latest of
     * our stamps it echoed, or -1.
     */
    private record Peer(String id, int priority, boolean eligible, long term, @Nullable String leaderId,
            long lastSeenNanos, long incarnation, long stamp, long echoOfUs) {

        boolean claimsLeadership() {
            return id.equals(leaderId);
        }
    }

    private final LanBackendSettings settings;

    private final Outbox outbox;

    private final Consumer<LanElection> closed;

    private final long leaseNanos;

    private final long heartbeatNanos;

    /** Lease - margin: how long a confirmed send time is believed. */
    private final long beliefNanos;

    /** Only an echo of one of these confirms us. */
    private final OwnStamps stamps;

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
        this.stamps = new OwnStamps(incarnation, settings.lease().toNanos());
        this.outbox = outbox;
        this.closed = closed;
        this.leaseNanos = settings.lease().toNanos();
        this.heartbeatNanos = settings.heartbeatInterval().toNanos();
        this.beliefNanos = leaseNanos - LeaseDeadline.defaultMargin(settings.lease()).toNanos();
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

    /**
     * The backend stamps a message of ours (from {@link Outbox#send}, under our monitor): what it
     * echoes, the peer we follow first, should a datagram not hold them all.
     */
    synchronized List<LanMessage.Echo> stamping(long stamp) {
        stamps.add(stamp);
        String leader = leaderId().orElse(null);
        List<LanMessage.Echo> echoes = new ArrayList<>(peers.size());
        for (Peer peer : peers.values()) {
            LanMessage.Echo echo = new LanMessage.Echo(peer.incarnation(), peer.stamp());
            if (peer.id().equals(leader)) {
                echoes.add(0, echo);
            }
            else {
                echoes.add(echo);
            }
        }
        return echoes;
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
        long echoed = echoOfUs(message);
        if (message.type() == LanMessage.Type.RESIGN) {
            resigned.put(message.sender(), new Resigned(message.term(), receivedNanos));
            log.debug("{} {} resigned term {}{}", logPrefix, message.sender(), message.term(),
                    message.leaving() ? " and left" : "");
            if (message.leaving()) {
                peers.remove(message.sender());
            }
            else {
                peers.put(message.sender(), new Peer(message.sender(), message.priority(), false, message.term(), null,
                        receivedNanos, message.incarnation(), message.stamp(), echoed));
            }
        }
        else {
            Peer previous = peers.put(message.sender(), new Peer(message.sender(), message.priority(),
                    message.eligible(), message.term(), message.leaderId(), receivedNanos, message.incarnation(),
                    message.stamp(), echoed));
            if (previous == null) {
                // A newcomer learns of us now, not a heartbeat interval later.
                heartbeat(System.nanoTime());
            }
        }
        if (settings.majority() > 1 && currentTerm() != null) {
            // An echo is a confirmation: the deadline moves now, not at our next heartbeat.
            long confirmed = echoedByMajority();
            if (confirmed >= 0) {
                renewed(confirmed);
            }
        }
        evaluate(System.nanoTime());
    }

    synchronized void tick() {
        if (!campaigning) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastTickNanos > leaseNanos / 2) {
            log.warn("{} no tick for {} ms (paused?); listening before campaigning", logPrefix,
                    (now - lastTickNanos) / 1_000_000);
            campaignFromNanos = now + heartbeatNanos;
        }
        lastTickNanos = now;
        resigned.values().removeIf(r -> now - r.atNanos() > leaseNanos);
        peers.values().removeIf(p -> {
            boolean gone = now - p.lastSeenNanos() > leaseNanos;
            if (gone) {
                log.info("{} peer {} silent for the lease: gone", logPrefix, p.id());
            }
            return gone;
        });
        evaluate(now);
        if (now - lastHeartbeatNanos >= heartbeatNanos) {
            heartbeat(now);
        }
    }

    // ---- the rules ----

    private void evaluate(long now) {
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
        if (isClosed() || now - campaignFromNanos < 0 || now - ineligibleUntilNanos < 0 || leaderSeenByOthers()) {
            return;
        }
        if (settings.majority() > 0 && peers.size() + 1 < settings.majority()) {
            return;
        }
        for (Peer peer : peers.values()) {
            if (peer.eligible() && ranksBefore(peer)) {
                return;
            }
        }
        if (settings.majority() > 1 && !echoedLately(now)) {
            return;
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
        long sent = outbox.send(this, LanMessage.Type.HEARTBEAT, eligible ? LanMessage.ELIGIBLE : 0,
                mine != null ? mine.fencingToken() : maxTerm, mine != null ? candidateId() : leaderId().orElse(null));
        lastHeartbeatNanos = now;
        if (mine != null && sent >= 0) {
            long confirmed = confirmedAt(sent);
            if (confirmed >= 0) {
                renewed(confirmed);
            }
        }
    }

    /**
     * From when a term may be believed, for a message of ours sent at {@code sentNanos}. Without a
     * quorum, from that send time: nobody confirms anything. With one, from the send time of the
     * last round trip a majority confirmed: the (majority - 1)-th latest of our stamps the peers
     * echoed, this node counting itself with {@code sentNanos}; -1 while fewer have echoed us.
     * Each of those peers received that message of ours or a later one, so it keeps us (and
     * reports us as its leader, holding back any claimer that hears it) until at least that stamp
     * + lease; with a majority keeping us, no majority is left to elect a successor before then.
     */
    private long confirmedAt(long sentNanos) {
        if (settings.majority() <= 1) {
            return sentNanos;
        }
        long echoed = echoedByMajority();
        return echoed < 0 ? -1 : Math.min(sentNanos, echoed);
    }

    /** The (majority - 1)-th latest of our stamps among the peers' echoes; -1 if fewer echoed us. */
    private long echoedByMajority() {
        int needed = settings.majority() - 1;
        long[] echoed = peers.values().stream().mapToLong(Peer::echoOfUs).filter(e -> e >= 0).sorted().toArray();
        return echoed.length < needed ? -1 : echoed[echoed.length - needed];
    }

    /**
     * Whether a term claimed now would stay confirmed for a heartbeat interval, so that the
     * peers' answers to the claim, or their next heartbeats if those are lost, renew it in time.
     * Every peer echoes our latest message in each of its own, so this fails for a moment at most,
     * unless our datagrams do not reach them: a term claimed then would lapse at once.
     */
    private boolean echoedLately(long now) {
        long echoed = echoedByMajority();
        return echoed >= 0 && echoed + beliefNanos - now >= heartbeatNanos;
    }

    /** The latest of our stamps the sender of {@code message} echoed, in it or before it; -1 if none. */
    private long echoOfUs(LanMessage message) {
        Peer known = peers.get(message.sender());
        // A restarted peer (new incarnation) has forgotten what it heard of us.
        return stamps.latestEchoed(message,
                known != null && known.incarnation() == message.incarnation() ? known.echoOfUs() : -1);
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
