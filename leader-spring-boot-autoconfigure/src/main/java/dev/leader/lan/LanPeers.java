package dev.leader.lan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What one candidate heard from the others within the lease, what they echoed of it, and the
 * questions {@link LanElection}'s rules ask of it. Not thread-safe: guarded by the election's
 * monitor.
 */
final class LanPeers {

    /**
     * {@code stamp}: that of its latest message, which we echo; {@code echoOfUs}: the latest of
     * our stamps it echoed, or -1.
     */
    record Peer(String id, int priority, boolean eligible, boolean listening, long term, @Nullable String leaderId,
            long lastSeenNanos, long incarnation, long stamp, long echoOfUs) {

        boolean claimsLeadership() {
            return id.equals(leaderId);
        }
    }

    /** A leader's RESIGN: the term it gave up. */
    private record Resigned(long term, long atNanos) {
    }

    private final String selfId;

    private final int selfPriority;

    private final long leaseNanos;

    /** Only an echo of one of these confirms us. */
    private final OwnStamps stamps;

    private final Map<String, Peer> peers = new HashMap<>();

    /** Leaders that resigned, kept for a lease. */
    private final Map<String, Resigned> resigned = new HashMap<>();

    LanPeers(String selfId, int selfPriority, long leaseNanos, OwnStamps stamps) {
        this.selfId = selfId;
        this.selfPriority = selfPriority;
        this.leaseNanos = leaseNanos;
        this.stamps = stamps;
    }

    /**
     * Records a heartbeat.
     *
     * @return the sender's entry before it, null for a peer not heard within the lease
     */
    @Nullable Peer heartbeat(LanMessage message, long receivedNanos) {
        return peers.put(message.sender(), new Peer(message.sender(), message.priority(), message.eligible(),
                message.listening(), message.term(), message.leaderId(), receivedNanos, message.incarnation(),
                message.stamp(), echoOfUs(message)));
    }

    /**
     * Records a RESIGN: the sender is no longer eligible (or gone, if it left).
     *
     * @return whether the sender claimed leadership in its last heartbeat we heard
     */
    boolean resign(LanMessage message, long receivedNanos) {
        Peer before = peers.get(message.sender());
        long echoed = echoOfUs(message);
        resigned.put(message.sender(), new Resigned(message.term(), receivedNanos));
        if (message.leaving()) {
            peers.remove(message.sender());
        }
        else {
            peers.put(message.sender(), new Peer(message.sender(), message.priority(), false, false, message.term(),
                    null, receivedNanos, message.incarnation(), message.stamp(), echoed));
        }
        return before != null && before.claimsLeadership();
    }

    /** Forgets peers silent for the lease, telling {@code gone} of each, and old RESIGNs. */
    void expire(long now, Consumer<String> gone) {
        resigned.values().removeIf(r -> now - r.atNanos() > leaseNanos);
        peers.values().removeIf(p -> {
            boolean silent = now - p.lastSeenNanos() > leaseNanos;
            if (silent) {
                gone.accept(p.id());
            }
            return silent;
        });
    }

    List<String> ids() {
        return new ArrayList<>(peers.keySet());
    }

    int size() {
        return peers.size();
    }

    void clear() {
        peers.clear();
    }

    /** The peer with the best claim to lead, by {@link LanElection#beats}; null if none claims. */
    @Nullable Peer strongestClaim() {
        Peer best = null;
        for (Peer peer : peers.values()) {
            if (peer.claimsLeadership() && (best == null
                    || LanElection.beats(peer.term(), peer.priority(), peer.id(), best.term(), best.priority(), best.id()))) {
                best = peer;
            }
        }
        return best;
    }

    /**
     * Whether a peer follows a leader we have not heard ourselves: one beyond our reach (a
     * partition healing, or one-way loss), or one that peer has not yet found dead. Claiming
     * now would unseat a live leader, so we wait for that peer to hear of it or drop it.
     */
    boolean leaderSeenByOthers() {
        for (Peer peer : peers.values()) {
            String reported = peer.leaderId();
            if (reported == null || reported.equals(peer.id()) || reported.equals(selfId)) {
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

    /**
     * How many eligible peers claim before this one: by rank; in a hand-off, peers ready to
     * claim before those still listening ({@code selfListening}: what we last told them of
     * ourselves, so that everyone orders alike), then by rank.
     */
    int ahead(boolean handoff, boolean selfListening) {
        int ahead = 0;
        for (Peer peer : peers.values()) {
            if (peer.eligible() && (!handoff || peer.listening() == selfListening ? ranksBefore(peer) : !peer.listening())) {
                ahead++;
            }
        }
        return ahead;
    }

    private boolean ranksBefore(Peer peer) {
        return peer.priority() != selfPriority ? peer.priority() > selfPriority : peer.id().compareTo(selfId) < 0;
    }

    /**
     * What a message of ours echoes: for each peer, the stamp of its latest message; {@code leader}
     * (the peer we follow) first, should a datagram not hold them all.
     */
    List<LanMessage.Echo> echoes(@Nullable String leader) {
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

    /**
     * From when a term may be believed, for a message of ours sent at {@code sentNanos}. Without a
     * quorum ({@code needed} 0), from that send time: nobody confirms anything. With one, from the
     * send time of the last round trip a majority confirmed: the {@code needed}-th latest of our
     * stamps the peers echoed, this node counting itself with {@code sentNanos}; -1 while fewer
     * have echoed us. Each of those peers received that message of ours or a later one, so it
     * keeps us (and reports us as its leader, holding back any claimer that hears it) until at
     * least that stamp + lease; with a majority keeping us, no majority is left to elect a
     * successor before then.
     */
    long confirmedAt(long sentNanos, int needed) {
        if (needed <= 0) {
            return sentNanos;
        }
        long echoed = echoedByMajority(needed);
        return echoed < 0 ? -1 : Math.min(sentNanos, echoed);
    }

    /**
     * The {@code needed}-th latest of our stamps among the peers' echoes: from when {@code needed}
     * peers (with us, a majority) have heard us; -1 if fewer echoed us. {@code needed} is at least 1.
     */
    long echoedByMajority(int needed) {
        long[] echoed = peers.values().stream().mapToLong(Peer::echoOfUs).filter(e -> e >= 0).sorted().toArray();
        return echoed.length < needed ? -1 : echoed[echoed.length - needed];
    }

    /** The latest of our stamps the sender of {@code message} echoed, in it or before it; -1 if none. */
    private long echoOfUs(LanMessage message) {
        Peer known = peers.get(message.sender());
        // A restarted peer (new incarnation) has forgotten what it heard of us.
        return stamps.latestEchoed(message,
                known != null && known.incarnation() == message.incarnation() ? known.echoOfUs() : -1);
    }
}
