package dev.leader.lan;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import dev.leader.election.AbstractElection;
import dev.leader.election.ElectionState;
import dev.leader.election.LeaseDeadline;
import dev.leader.election.Leadership;
import dev.leader.election.RevokeReason;
import org.jspecify.annotations.Nullable;

/**
 * One candidate of the LAN backend. Every peer heartbeats; each keeps a table of the peers it
 * heard within the lease ({@link LanPeers}). A live leader is followed, whoever ranks better: an
 * incumbent is never unseated by a newcomer, so nothing flaps when peers join. With no live
 * leader, the eligible peer of the highest priority and then lowest id claims the term after the
 * highest it has seen, when its {@link Campaign} says it is its turn (after listening, and in a
 * hand-off in rank order). Claims are decided only on the receive thread once it has read every
 * queued datagram ({@link #caughtUp}), never on a stale view: a peer resuming from a stall first
 * reads the claim that overtook it, and follows it.
 *
 * <p>Without a quorum a claim is granted at once, and of two leaders (a healed partition) the
 * higher term wins, then the higher priority, then the lower id: the loser steps down
 * ({@link RevokeReason#PREEMPTED}). A leader believes until its last heartbeat's send time +
 * lease - margin: available, not consistent.
 *
 * <p>With a quorum ({@code leader.lan.quorum}) a term is a vote ({@link Ballot}): a claim is
 * granted once a majority backs it, the leader believes until the send time of its last message
 * a majority backed + lease - margin, renewing as their echoes arrive, and steps down as soon as
 * the peers it hears can no longer back it by a majority.
 *
 * <p>All state is guarded by this object's monitor; the backend's receive and tick threads, the
 * API callers and the lease watchdog take it. What our heartbeats say, and when they go, is
 * {@link Heartbeats}'s; the term we claim and hold, {@link OwnTerm}'s.
 */
final class LanElection extends AbstractElection {

    /**
     * How the election sends a message alone, at once: in a hook (yield, withdraw, rejoin, close)
     * on the caller's thread. The backend stamps, frames (with our {@link #stamping(long)
     * echoes}), signs and sends. What the tick and receive threads say is gathered instead and
     * sent with the other elections' messages ({@link BundledHeartbeat}).
     */
    interface Outbox {

        /**
         * The send time on {@link System#nanoTime()}, the message's stamp, or -1 if the datagram
         * could not be sent.
         */
        long send(LanElection from, LanMessage.Type type, int flags, long term, @Nullable PeerId leader);
    }

    private final LanBackendSettings settings;

    private final Outbox outbox;

    private final Consumer<LanElection> closed;

    private final PeerId self;

    private final long leaseNanos;

    private final long heartbeatNanos;

    /** Only an echo of one of these confirms us. */
    private final SentStamps stamps;

    private final LanPeers peers;

    private final Ballot ballot;

    private final Campaign campaign;

    private final Terms terms;

    private final Heartbeats heartbeats;

    private final OwnTerm ownTerm;

    private boolean campaigning;

    /** The leader we follow (or back, with a quorum); null for none. */
    private @Nullable PeerId following;

    private long lastTickNanos;

    /** A claim is due, or a hand-off deadline has moved: only {@link #caughtUp} may act on it. */
    private boolean decisionPending;

    /** {@link #caughtUp} should run again at {@link Campaign#wakeAtNanos()} even if nothing arrives. */
    private boolean wake;

    /** Numbers what we say, in the order we say it; see {@link BundledHeartbeat#current()}. */
    private long said;

    /**
     * The number of the latest message of ours that went to the sender. Written by
     * {@link GroupSender} under its lock, and on the paths that send alone also under our monitor.
     */
    private volatile long lastSent;

    /**
     * Where our messages go while the backend's tick or receive thread holds our monitor: they
     * leave, with the other elections' ones, once the thread is done with every election. Null on
     * the other threads, whose messages go alone.
     */
    private @Nullable List<BundledHeartbeat> gathering;

    /** A claim of ours is gathered and not yet sent or recorded: no heartbeat may undo it. */
    private boolean claimInFlight;

    /** While {@link #claimInFlight}, something changed that a heartbeat would have told: the claim is not taken. */
    private boolean claimOvertaken;

    LanElection(String name, String candidateId, LanBackendSettings settings, long incarnation, Outbox outbox,
            Consumer<LanElection> closed) {
        super(name, candidateId, LeaseDeadline.of(settings.lease(), LeaseDeadline.defaultMargin(settings.lease())));
        this.settings = settings;
        this.outbox = outbox;
        this.closed = closed;
        this.self = new PeerId(candidateId, incarnation);
        this.leaseNanos = settings.lease().toNanos();
        this.heartbeatNanos = settings.heartbeatInterval().toNanos();
        this.stamps = new SentStamps(incarnation, leaseNanos);
        this.peers = new LanPeers(self, settings.priority(), leaseNanos, stamps);
        this.ballot = new Ballot(settings, peers, self, logPrefix);
        this.campaign = new Campaign(settings);
        this.terms = new Terms(logPrefix);
        this.heartbeats = new Heartbeats(settings, outbox, self, ballot, campaign, terms);
        this.ownTerm = new OwnTerm(settings, self, peers, ballot, this::grant, this::renewed, this::currentTerm);
    }

    String group() {
        return settings.group() == null ? "" : settings.group();
    }

    int priority() {
        return settings.priority();
    }

    /** The peers heard within the lease, this one excluded (an id twice: two incarnations). */
    synchronized List<String> livePeers() {
        return peers.ids();
    }

    /**
     * The backend stamps a message of ours (from {@link Outbox#send}, under our monitor): what it
     * echoes, the peer we follow first, should a datagram not hold them all.
     */
    synchronized List<LanMessage.Echo> stamping(long stamp) {
        stamps.add(stamp);
        return peers.echoes(following);
    }

    /** Numbers a message we are about to say (to send alone, or to gather). */
    synchronized long say() {
        return ++said;
    }

    /** {@link #say()}'s number of the latest message of ours handed to the sender. */
    long lastSent() {
        return lastSent;
    }

    /** The message of number {@code said} is being sent. */
    void sent(long said) {
        lastSent = said;
    }

    // ---- hooks ----

    @Override
    protected synchronized void onStart() {
        long now = System.nanoTime();
        campaigning = true;
        campaign.listen(now, 0);
        lastTickNanos = now;
        // With the backend's other elections, at the next tick: well within the listening period.
        heartbeats.sendAtNextTick();
    }

    @Override
    protected synchronized void onYield(Leadership term) {
        ownTerm.ended();
        campaign.standAside(System.nanoTime());
        outbox.send(this, LanMessage.Type.RESIGN, 0, term.fencingToken(), null);
    }

    /**
     * Stays in the group as a peer that is not eligible: it hears the terms (so that its next term
     * is above them), follows the leader and, with a quorum, still backs one, but claims nothing
     * until rejoined. A leader resigns as on a yield; a follower says at once that it is no longer
     * eligible, so that no hand-off waits for it.
     */
    @Override
    protected synchronized void onWithdraw(@Nullable Leadership held) {
        ownTerm.ended();
        campaign.withdraw();
        if (ballot.claiming()) {
            ballot.claimAbandoned();
        }
        if (held != null) {
            outbox.send(this, LanMessage.Type.RESIGN, 0, held.fencingToken(), null);
        }
        else {
            heartbeat(System.nanoTime());
        }
    }

    @Override
    protected synchronized void onRejoin() {
        campaign.rejoin();
        heartbeat(System.nanoTime());
    }

    @Override
    protected void onClose(@Nullable Leadership held) {
        synchronized (this) {
            if (campaigning) {
                campaigning = false;
                outbox.send(this, LanMessage.Type.RESIGN, LanMessage.LEAVING,
                        held == null ? terms.highest() : held.fencingToken(), null);
            }
            peers.clear();
            ballot.claimEnded();
            ownTerm.ended();
        }
        closed.accept(this);
    }

    @Override
    protected synchronized void onLeaseExpired(Leadership term) {
        ownTerm.ended();
        // Our heartbeats stalled (a pause, or no quorum in sight): listen again before claiming,
        // so the buffered heartbeats of whoever took over are heard first.
        campaign.listen(System.nanoTime(), 0);
    }

    // ---- driven by the backend ----

    /**
     * @return why the message was refused (a term implausibly far above any we know, or no room
     *         to track another peer), or null
     */
    synchronized MessageSigner.@Nullable Rejection receive(LanMessage message, long receivedNanos,
            List<BundledHeartbeat> out) {
        gathering = out;
        try {
            return received(message, receivedNanos);
        }
        finally {
            gathering = null;
        }
    }

    private MessageSigner.@Nullable Rejection received(LanMessage message, long receivedNanos) {
        PeerId sender = message.senderId();
        if (!campaigning || sender.equals(self)) {
            return null;
        }
        if (!terms.plausible(message.term())) {
            return MessageSigner.Rejection.TERM_JUMP;
        }
        if (!peers.admits(sender)) {
            return MessageSigner.Rejection.PEER_LIMIT;
        }
        terms.seen(message.term());
        long now = System.nanoTime();
        if (message.type() == LanMessage.Type.RESIGN) {
            trace("wake: resign heard");
            log.debug("{} {} resigned term {}{}", logPrefix, sender, message.term(), message.leaving() ? " and left" : "");
            if (peers.resign(message, receivedNanos) || sender.equals(following)) {
                campaign.handoff(receivedNanos);
            }
        }
        else if (peers.heartbeat(message, receivedNanos) == null) {
            // A newcomer learns of us at the next tick, not a heartbeat interval later.
            heartbeats.sendAtNextTick();
        }
        if (settings.quorum() > 0) {
            ownTerm.confirm();
        }
        evaluate(now, false);
        return null;
    }

    /**
     * The receive thread has read every datagram queued so far: the one place claims are made.
     *
     * @return nanoseconds until a hand-off deadline, when this should be called again even if
     *         nothing arrives; -1 if none
     */
    synchronized long caughtUp(long now, List<BundledHeartbeat> out) {
        if (!campaigning) {
            return -1;
        }
        gathering = out;
        try {
            wake = false;
            evaluate(now, true);
            return wake ? Math.max(0, campaign.wakeAtNanos() - now) : -1;
        }
        finally {
            gathering = null;
        }
    }

    /**
     * Expires what is silent and evaluates; adds our heartbeat to {@code bundle} if it is due.
     *
     * @param beat whether every election of the backend heartbeats now
     * @return whether {@link #caughtUp} should run soon: a claim is due, or a deadline moved
     */
    synchronized boolean tick(boolean beat, List<BundledHeartbeat> bundle) {
        if (!campaigning) {
            return false;
        }
        gathering = bundle;
        try {
            return ticked(beat, bundle);
        }
        finally {
            gathering = null;
        }
    }

    private boolean ticked(boolean beat, List<BundledHeartbeat> bundle) {
        long now = System.nanoTime();
        if (now - lastTickNanos > leaseNanos / 2) {
            log.warn("{} no tick for {} ms (paused?); listening before campaigning", logPrefix,
                    (now - lastTickNanos) / 1_000_000);
            campaign.listen(now, 0);
        }
        lastTickNanos = now;
        campaign.expire(now);
        peers.expire(now, id -> log.info("{} peer {} silent for the lease: gone", logPrefix, id));
        decisionPending = false;
        int gathered = bundle.size();
        evaluate(now, false);
        // Those the tick gathered before are other elections': one of ours since is this beat's.
        if ((beat || heartbeats.due(now)) && bundle.size() == gathered) {
            if (claimInFlight) {
                // Nothing changed that the claim does not say: it goes at the next tick instead.
                heartbeats.sendAtNextTick();
            }
            else {
                heartbeat(now);
            }
        }
        return decisionPending;
    }

    /**
     * A heartbeat or claim of ours that the tick or receive thread gathered was sent at
     * {@link BundledHeartbeat#stamp()}, or not (-1): recorded as sent only now that it went, as
     * {@link #heartbeat} does when it sends alone. Its stamp was taken after we said it and before
     * the datagram went, so it is never later than the send: a leader without a quorum believes
     * until that stamp + lease - margin.
     */
    synchronized void bundled(BundledHeartbeat heartbeat) {
        boolean claim = heartbeat.claimTerm() >= 0;
        if (claim) {
            claimInFlight = false;
        }
        long sent = heartbeat.stamp();
        if (sent < 0 || !campaigning) {
            return;
        }
        // An echo of the stamp that arrived before this point is not counted: confirmation comes
        // from the next message of that peer, which echoes the stamp again. Never more.
        stamps.add(sent);
        if (claim) {
            claimSent(heartbeat.claimTerm(), sent, heartbeat.latest());
            return;
        }
        if (heartbeat.latest()) {
            heartbeats.bundled(heartbeat);
        }
        Leadership mine = heartbeat.mine();
        if (mine != null) {
            // The core ignores a renewal of a term that has ended meanwhile.
            ownTerm.heartbeatSent(mine, sent);
        }
    }

    // ---- the rules ----

    /** @param caughtUp whether every queued datagram has been read: only then may we claim */
    private void evaluate(long now, boolean caughtUp) {
        Leadership mine = currentTerm();
        if (mine != null) {
            stepDownIfOutvoted(mine, now);
            return;
        }
        if (ownTerm.held()) {
            return;
        }
        if (settings.quorum() > 0) {
            if (ballot.claiming()) {
                String lost = ballot.lost(now, 2 * heartbeatNanos);
                if (lost == null) {
                    return;
                }
                abandonClaim(now, lost);
            }
            if (ballot.backNextClaimer() != null) {
                // The claimer waits for this answer, at once (a hand-off takes a round trip): it
                // echoes the claim and names the claimer. One per vote, and votes need new terms.
                heartbeat(now);
            }
        }
        LanPeers.Peer leader = settings.quorum() > 0 && ballot.backedLeader() != null ? ballot.backedLeader()
                : peers.strongestClaim();
        if (leader != null) {
            campaign.leaderFound();
            boolean changed = !leader.key().equals(following);
            following = leader.key();
            follow(leader.id());
            if (changed) {
                // Someone else took over: a yield is done, and the others must know at once that
                // we are eligible again, or two of them could each think itself the best.
                campaign.eligibleAgain();
                heartbeat(now);
            }
            return;
        }
        if (following != null) {
            following = null;
            follow(null);
            // The others wait for our word before claiming (below): give it now.
            heartbeat(now);
        }
        if (!isCampaigning() || peers.leaderSeenByOthers()) {
            return;
        }
        int majority = ballot.majority();
        if (majority > 0 && peers.size() + 1 < majority) {
            return;
        }
        Campaign.Turn turn = campaign.turn(now, peers);
        if (turn == Campaign.Turn.WAKE) {
            wake = true;
            decisionPending = true;
        }
        if (turn != Campaign.Turn.CLAIM || (majority > 1 && !ownTerm.echoedLately(now, majority))) {
            // The peers' next messages, which echo our latest one, bring the receive thread back here.
            return;
        }
        if (!caughtUp) {
            decisionPending = true;
            return;
        }
        if (campaign.inHandoff()) {
            log.debug("{} claiming {} ms after the RESIGN", logPrefix, (now - campaign.handoffSinceNanos()) / 1_000_000);
        }
        claim(now);
    }

    private void claim(long now) {
        long term = terms.next();
        if (term < 0) {
            log.debug("{} the highest term known is {}, the largest there may be: not claiming", logPrefix, terms.highest());
            return;
        }
        if (gathering == null) {
            throw new IllegalStateException("claims are made on the receive thread only");
        }
        gathering.add(heartbeats.claim(this, term, peers.echoes(following), say()));
        claimInFlight = true;
        claimOvertaken = false;
    }

    /**
     * Our claim of {@code term} went out at {@code sent}, the latest message of ours to go if
     * {@code latest}. We take the term only if nothing changed meanwhile: no message of ours went
     * after it, and nothing happened that a heartbeat would have told; else the peers, which may
     * have heard the claim, hear at the next tick that we do not hold it. The term counts as seen
     * either way.
     */
    private void claimSent(long term, long sent, boolean latest) {
        terms.seen(term);
        if (claimOvertaken || !latest || following != null || currentTerm() != null || ownTerm.held()
                || !isCampaigning()) {
            log.debug("{} claim of term {} overtaken before it was recorded: not taken", logPrefix, term);
            heartbeats.sendAtNextTick();
            return;
        }
        long now = System.nanoTime();
        heartbeats.claimSent(now);
        trace("claim: claim sent");
        campaign.claimed();
        log.debug("{} claiming term {} among {}", logPrefix, term, peers.ids());
        ownTerm.claimed(term, sent, now);
    }

    /** Our claim cannot win: we listen (a little at random, so two claimers do not meet again) before the next. */
    private void abandonClaim(long now, String why) {
        log.info("{} claim of term {} abandoned: {}", logPrefix, ballot.claimTerm(), why);
        ballot.claimAbandoned();
        campaign.listen(now, ThreadLocalRandom.current().nextLong(heartbeatNanos));
        // It names nobody: whoever backed us is free again.
        heartbeat(now);
    }

    private void stepDownIfOutvoted(Leadership mine, long now) {
        String why = ownTerm.outvoted(mine);
        if (why != null) {
            log.info("{} {}: stepping down from term {}", logPrefix, why, mine.fencingToken());
            if (revoke(mine, RevokeReason.PREEMPTED, ElectionState.FOLLOWER)) {
                ownTerm.ended();
                following = null;
                // Whoever leads now is followed at the next message we read; until then we name nobody.
                heartbeat(now);
            }
        }
    }

    private void heartbeat(long now) {
        Leadership mine = currentTerm();
        if (claimInFlight) {
            // Sent after our claim it would undo it: the claim is not taken, and this goes next tick.
            claimOvertaken = true;
            heartbeats.sendAtNextTick();
            return;
        }
        if (gathering != null) {
            gathering.add(heartbeats.bundle(this, now, mine, following, peers.echoes(following), say()));
            return;
        }
        long sent = heartbeats.send(this, now, mine, following);
        if (sent >= 0 && mine != null) {
            ownTerm.heartbeatSent(mine, sent);
        }
    }
}
