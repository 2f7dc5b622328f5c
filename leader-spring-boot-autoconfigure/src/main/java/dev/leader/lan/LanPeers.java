package dev.leader.lan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What one candidate heard from the others within the lease, what they echoed of it, whom they
 * back, and the questions {@link LanElection}'s rules ask of it. Peers are told apart by
 * {@link PeerId} (candidate id and incarnation). At most {@link #MAX_PEERS} are tracked: a flood
 * of made-up peers (possible without a secret) cannot grow it without bound, nor push out the
 * peers already known. Not thread-safe: guarded by the election's monitor.
 */
final class LanPeers {

    /** More peers than one datagram can echo (about a hundred) would not be confirmed anyway. */
    static final int MAX_PEERS = 256;

    /**
     * {@code stamp}: that of its latest message, which we echo; {@code echoOfUs}: the latest of
     * our stamps it echoed, or -1; {@code leader} and {@code term}: whom its latest message named
     * and in which term; {@code echoed}: the incarnations its latest message echoed, the peers it
     * hears.
     */
    record Peer(PeerId key, int priority, boolean eligible, boolean listening, long term, @Nullable PeerId leader,
            long lastSeenNanos, long stamp, long echoOfUs, long[] echoed) {

        String id() {
            return key.candidateId();
        }

        boolean claimsLeadership() {
            return key.equals(leader);
        }

        /** Whether its latest message names {@code leader} in {@code term}: it backs that claim. */
        boolean backs(PeerId claimer, long claimTerm) {
            return term == claimTerm && claimer.equals(leader);
        }
    }

    /** A leader's RESIGN: the term it gave up. */
    private record Resigned(long term, long atNanos) {
    }

    private final PeerId self;

    private final int selfPriority;

    private final long leaseNanos;

    /** Only an echo of one of these confirms us. */
    private final SentStamps stamps;

    private final Map<PeerId, Peer> peers = new HashMap<>();

    /** Leaders that resigned, kept for a lease; bounded as the peers are. */
    private final Map<PeerId, Resigned> resigned = new HashMap<>();

    /** {@link #knownMembers()}, or -1 once a peer came, went, or changed whom it hears. */
    private int knownMembers = -1;

    LanPeers(PeerId self, int selfPriority, long leaseNanos, SentStamps stamps) {
        this.self = self;
        this.selfPriority = selfPriority;
        this.leaseNanos = leaseNanos;
        this.stamps = stamps;
    }

    /** Whether a message of {@code sender} may be recorded: a known peer, or room for one more. */
    boolean admits(PeerId sender) {
        return peers.containsKey(sender) || peers.size() < MAX_PEERS;
    }

    /**
     * Records a heartbeat; see {@link #admits}.
     *
     * @return the sender's entry before it, null for a peer not heard within the lease
     */
    @Nullable Peer heartbeat(LanMessage message, long receivedNanos) {
        Peer before = peers.get(message.senderId());
        long[] echoed = echoed(message, before);
        return peers.put(message.senderId(), new Peer(message.senderId(), message.priority(), message.eligible(),
                message.listening(), message.term(), message.leader(), receivedNanos, stamp(before, message),
                echoOfUs(before, message), echoed));
    }

    /**
     * Records a RESIGN: the sender is no longer eligible (or gone, if it left), and leads nobody.
     *
     * @return whether the sender claimed leadership in its last heartbeat we heard
     */
    boolean resign(LanMessage message, long receivedNanos) {
        Peer before = peers.get(message.senderId());
        if (resigned.size() < MAX_PEERS || resigned.containsKey(message.senderId())) {
            resigned.put(message.senderId(), new Resigned(message.term(), receivedNanos));
        }
        if (message.leaving()) {
            peers.remove(message.senderId());
            knownMembers = -1;
        }
        else if (admits(message.senderId())) {
            peers.put(message.senderId(), new Peer(message.senderId(), message.priority(), false, false, message.term(),
                    null, receivedNanos, stamp(before, message), echoOfUs(before, message), echoed(message, before)));
        }
        return before != null && before.claimsLeadership();
    }

    /** Forgets peers silent for the lease, telling {@code gone} of each, and old RESIGNs. */
    void expire(long now, Consumer<PeerId> gone) {
        resigned.values().removeIf(r -> now - r.atNanos() > leaseNanos);
        peers.values().removeIf(p -> {
            boolean silent = now - p.lastSeenNanos() > leaseNanos;
            if (silent) {
                gone.accept(p.key());
                knownMembers = -1;
            }
            return silent;
        });
    }

    @Nullable Peer get(@Nullable PeerId key) {
        return key == null ? null : peers.get(key);
    }

    List<String> ids() {
        return peers.keySet().stream().map(PeerId::candidateId).toList();
    }

    int size() {
        return peers.size();
    }

    void clear() {
        peers.clear();
        knownMembers = -1;
    }

    /**
     * How many candidates of this election we know of, this one included: those we hear, and
     * those they hear (their echoes name them). A claimer that hears only part of a larger group
     * (one-way loss, a group grown past its quorum) still counts the rest, so that two claimers
     * cannot each take their part for a majority.
     */
    int knownMembers() {
        if (knownMembers < 0) {
            knownMembers = countKnownMembers();
        }
        return knownMembers;
    }

    private int countKnownMembers() {
        Set<Long> known = new HashSet<>();
        for (Peer peer : peers.values()) {
            known.add(peer.key().incarnation());
            for (long incarnation : peer.echoed()) {
                known.add(incarnation);
            }
        }
        known.remove(self.incarnation());
        return Math.min(known.size(), MAX_PEERS) + 1;
    }

    /** The peer with the best claim to lead, by {@link #beats}; null if none claims. */
    @Nullable Peer strongestClaim() {
        Peer best = null;
        for (Peer peer : peers.values()) {
            if (peer.claimsLeadership() && (best == null || beats(peer.term(), peer.priority(), peer.key(),
                    best.term(), best.priority(), best.key()))) {
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
            PeerId reported = peer.leader();
            if (reported == null || reported.equals(peer.key()) || reported.equals(self)) {
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
        return peer.priority() != selfPriority ? peer.priority() > selfPriority : peer.key().ranksBefore(self);
    }

    /**
     * What a message of ours echoes: for each peer, the stamp of its latest message; {@code leader}
     * (the peer we follow) first, should a datagram not hold them all.
     */
    List<LanMessage.Echo> echoes(@Nullable PeerId leader) {
        List<LanMessage.Echo> echoes = new ArrayList<>(peers.size());
        for (Peer peer : peers.values()) {
            LanMessage.Echo echo = new LanMessage.Echo(peer.key().incarnation(), peer.stamp());
            if (peer.key().equals(leader)) {
                echoes.add(0, echo);
            }
            else {
                echoes.add(echo);
            }
        }
        return echoes;
    }

    /**
     * The {@code needed}-th latest of our stamps among the peers' echoes, whomever they back: from
     * when {@code needed} peers have heard us; -1 if fewer echoed us. Says that our datagrams reach
     * them, not that they back us. {@code needed} is at least 1.
     */
    long echoedBy(int needed) {
        return nthLatest(peers.values().stream().mapToLong(Peer::echoOfUs).filter(e -> e >= 0).toArray(), needed);
    }

    /**
     * From when {@code needed} peers back our claim of {@code term}: the {@code needed}-th latest of
     * our stamps (from {@code since}, the claim's, on) echoed by peers whose latest message names
     * us in that term; -1 while fewer do. Each of them received that message of ours or a later one
     * and backs us, and backs nobody else until a lease after it last heard us (or we resign or stop
     * claiming): with a majority backing us, no majority is left to elect a successor before that
     * stamp + lease. {@code needed} 0 (a group of one): from {@code since}.
     */
    long backedSince(long term, long since, int needed) {
        if (needed <= 0) {
            return since;
        }
        return nthLatest(peers.values().stream().filter(p -> p.backs(self, term) && p.echoOfUs() >= since)
                .mapToLong(Peer::echoOfUs).toArray(), needed);
    }

    /** How many peers name a leader other than us in {@code term} or a later one. */
    int backingOthers(long term) {
        return (int) peers.values().stream()
                .filter(p -> p.leader() != null && !self.equals(p.leader()) && p.term() >= term).count();
    }

    /**
     * The live claimer a follower backs next: the strongest peer claiming a term above
     * {@code votedTerm} (the last term it backed someone in); null if none.
     */
    @Nullable Peer claimerAbove(long votedTerm) {
        Peer best = null;
        for (Peer peer : peers.values()) {
            if (peer.claimsLeadership() && peer.term() > votedTerm && (best == null || beats(peer.term(),
                    peer.priority(), peer.key(), best.term(), best.priority(), best.key()))) {
                best = peer;
            }
        }
        return best;
    }

    /** Whether claim a beats claim b: higher term, then higher priority, then lower id (and incarnation). */
    static boolean beats(long termA, int priorityA, PeerId a, long termB, int priorityB, PeerId b) {
        if (termA != termB) {
            return termA > termB;
        }
        if (priorityA != priorityB) {
            return priorityA > priorityB;
        }
        return a.ranksBefore(b);
    }

    private static long nthLatest(long[] stamps, int n) {
        if (stamps.length < n) {
            return -1;
        }
        Arrays.sort(stamps);
        return stamps[stamps.length - n];
    }

    /** Its latest stamp: a datagram overtaken by a later one of the same incarnation does not move it back. */
    private static long stamp(@Nullable Peer before, LanMessage message) {
        return before != null ? Math.max(before.stamp(), message.stamp()) : message.stamp();
    }

    /** The latest of our stamps the sender of {@code message} echoed, in it or before it; -1 if none. */
    private long echoOfUs(@Nullable Peer before, LanMessage message) {
        return stamps.latestEchoed(message, before != null ? before.echoOfUs() : -1);
    }

    /** The incarnations {@code message} echoes, sorted; {@code before}'s array when they are the same. */
    private long[] echoed(LanMessage message, @Nullable Peer before) {
        long[] echoed = message.echoes().stream().mapToLong(LanMessage.Echo::incarnation).sorted().toArray();
        if (before != null && Arrays.equals(before.echoed(), echoed)) {
            return before.echoed();
        }
        knownMembers = -1;
        return echoed;
    }
}
