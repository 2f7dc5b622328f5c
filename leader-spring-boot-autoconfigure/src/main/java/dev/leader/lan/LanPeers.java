package dev.leader.lan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What one candidate heard from the others within the lease, and the questions
 * {@link LanElection}'s rules ask of it. Not thread-safe: guarded by the election's monitor.
 */
final class LanPeers {

    record Peer(String id, int priority, boolean eligible, boolean listening, long term, @Nullable String leaderId,
            long lastSeenNanos) {

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

    private final Map<String, Peer> peers = new HashMap<>();

    /** Leaders that resigned, kept for a lease. */
    private final Map<String, Resigned> resigned = new HashMap<>();

    LanPeers(String selfId, int selfPriority, long leaseNanos) {
        this.selfId = selfId;
        this.selfPriority = selfPriority;
        this.leaseNanos = leaseNanos;
    }

    /**
     * Records a heartbeat.
     *
     * @return the sender's entry before it, null for a peer not heard within the lease
     */
    @Nullable Peer heartbeat(LanMessage message, long receivedNanos) {
        return peers.put(message.sender(), new Peer(message.sender(), message.priority(), message.eligible(),
                message.listening(), message.term(), message.leaderId(), receivedNanos));
    }

    /**
     * Records a RESIGN: the sender is no longer eligible (or gone, if it left).
     *
     * @return whether the sender claimed leadership in its last heartbeat we heard
     */
    boolean resign(LanMessage message, long receivedNanos) {
        Peer before = peers.get(message.sender());
        resigned.put(message.sender(), new Resigned(message.term(), receivedNanos));
        if (message.leaving()) {
            peers.remove(message.sender());
        }
        else {
            peers.put(message.sender(), new Peer(message.sender(), message.priority(), false, false, message.term(),
                    null, receivedNanos));
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
     * The send time of the oldest of the latest heartbeats of {@code needed} peers, capped by
     * {@code sentNanos}; -1 if fewer peers are heard. With {@code needed} 0, {@code sentNanos}.
     */
    long confirmedAt(long sentNanos, int needed) {
        if (needed <= 0) {
            return sentNanos;
        }
        if (peers.size() < needed) {
            return -1;
        }
        long[] seen = peers.values().stream().mapToLong(Peer::lastSeenNanos).sorted().toArray();
        return Math.min(sentNanos, seen[seen.length - needed]);
    }
}
