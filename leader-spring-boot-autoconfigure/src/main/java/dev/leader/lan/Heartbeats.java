package dev.leader.lan;

import java.util.List;
import dev.leader.election.Leadership;
import org.jspecify.annotations.Nullable;

/**
 * What one candidate's heartbeats say, and when they go: each says whether the candidate is
 * eligible and still listening, and names a term and a leader (itself while it claims or leads;
 * with a quorum whom it backs, in the term it backs it: its vote). One goes out each heartbeat
 * interval, and one at the next tick to announce a start or answer a newcomer: a seventh of the
 * listening period later, together with the other elections' ones, so that thousands of
 * elections starting together, or a peer joining them, do not send a datagram each. What a sent
 * heartbeat confirms of our term is {@link OwnTerm}'s.
 *
 * <p>Guarded by the election's monitor, which every caller holds. Heartbeats go out alone on an
 * API caller's thread in a hook (withdraw, rejoin); the backend's tick and receive threads gather
 * theirs, and claims ({@link #bundle}, {@link #claim}), to go out with the other elections' ones
 * once the thread is done with them all.
 */
final class Heartbeats {

    private final LanBackendSettings settings;

    private final LanElection.Outbox outbox;

    private final PeerId self;

    private final Ballot ballot;

    private final Campaign campaign;

    private final Terms terms;

    private final long heartbeatNanos;

    private long lastHeartbeatNanos;

    /** We started, or a peer we have not heard before wants our answer: the next tick sends it. */
    private boolean answerDue;

    Heartbeats(LanBackendSettings settings, LanElection.Outbox outbox, PeerId self, Ballot ballot, Campaign campaign,
            Terms terms) {
        this.settings = settings;
        this.outbox = outbox;
        this.self = self;
        this.ballot = ballot;
        this.campaign = campaign;
        this.terms = terms;
        this.heartbeatNanos = settings.heartbeatInterval().toNanos();
    }

    /** What a heartbeat says: its flags, the term and the leader it names. */
    private record Said(int flags, long term, @Nullable PeerId leader, boolean listening) {
    }

    /**
     * Sends a heartbeat of {@code from}, which holds {@code mine} (null: none) and follows
     * {@code following}, alone.
     *
     * @return its send time, or -1 if it could not be sent
     */
    long send(LanElection from, long now, @Nullable Leadership mine, @Nullable PeerId following) {
        Said said = said(now, mine, following);
        long sent = outbox.send(from, LanMessage.Type.HEARTBEAT, said.flags(), said.term(), said.leader());
        lastHeartbeatNanos = now;
        answerDue = false;
        if (sent >= 0) {
            campaign.advertised(said.listening());
        }
        return sent;
    }

    /**
     * The heartbeat {@link #send} would send, to go out with those of the backend's other
     * elections; see {@link #bundled}.
     *
     * @param echoes what it echoes
     * @param number its number ({@link LanElection#say()})
     */
    BundledHeartbeat bundle(LanElection from, long now, @Nullable Leadership mine, @Nullable PeerId following,
            List<LanMessage.Echo> echoes, long number) {
        Said said = said(now, mine, following);
        lastHeartbeatNanos = now;
        answerDue = false;
        return new BundledHeartbeat(from, LanDatagram.Entry.of(LanMessage.Type.HEARTBEAT, said.flags(), from.name(),
                said.term(), said.leader(), echoes), mine, said.listening(), number, -1);
    }

    /** A heartbeat of {@link #bundle} went out, and nothing of ours since: it is what the others last heard. */
    void bundled(BundledHeartbeat heartbeat) {
        campaign.advertised(heartbeat.listening());
    }

    private Said said(long now, @Nullable Leadership mine, @Nullable PeerId following) {
        boolean listening = mine == null && !ballot.claiming() && campaign.listening(now);
        long term = terms.highest();
        PeerId leader = following;
        if (mine != null || ballot.claiming()) {
            term = mine != null ? mine.fencingToken() : ballot.claimTerm();
            leader = self;
        }
        else if (settings.quorum() > 0) {
            // With a quorum our messages name only whom we back, in the term we back it: our vote.
            long backing = ballot.termBacking(following);
            term = backing >= 0 ? backing : terms.highest();
            leader = backing >= 0 ? following : null;
        }
        return new Said((campaign.eligible(now) ? LanMessage.ELIGIBLE : 0) | (listening ? LanMessage.LISTENING : 0),
                term, leader, listening);
    }

    /**
     * {@code from}'s claim of {@code term}, a heartbeat that names itself, to go out with the
     * backend's other messages; see {@link LanElection#bundled}.
     */
    BundledHeartbeat claim(LanElection from, long term, List<LanMessage.Echo> echoes, long number) {
        return new BundledHeartbeat(from, LanDatagram.Entry.of(LanMessage.Type.HEARTBEAT, LanMessage.ELIGIBLE,
                from.name(), term, self, echoes), null, false, number, term);
    }

    /** A claim went out at {@code now}: it counts as a heartbeat. */
    void claimSent(long now) {
        lastHeartbeatNanos = now;
    }

    /**
     * The next tick is to send a heartbeat: we started, or a newcomer wants our answer. At most
     * one a tick, so made-up newcomers (without a secret anyone can send them) cannot make us
     * flood the group.
     */
    void sendAtNextTick() {
        answerDue = true;
    }

    /** Whether the tick is to send a heartbeat: one is asked for, the interval passed, or we stopped listening. */
    boolean due(long now) {
        // Done listening: say so at once, or the others would pass us over in a hand-off.
        return answerDue || now - lastHeartbeatNanos >= heartbeatNanos || campaign.doneListening(now);
    }
}
