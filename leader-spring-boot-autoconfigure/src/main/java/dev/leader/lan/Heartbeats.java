package dev.leader.lan;

import dev.leader.election.Leadership;
import org.jspecify.annotations.Nullable;

/**
 * What one candidate's heartbeats say, and when they go: each says whether the candidate is
 * eligible and still listening, and names a term and a leader (itself while it claims or leads;
 * with a quorum whom it backs, in the term it backs it: its vote). One goes out each heartbeat
 * interval, and an answer to a newcomer at once, unless one went out less than a hand-off grace
 * ago. What a sent heartbeat confirms of our term is {@link OwnTerm}'s.
 *
 * <p>Guarded by the election's monitor, which every caller holds: heartbeats go out on the
 * backend's receive thread (claims and answers only there), on its tick thread, and on an API
 * caller's thread in a hook (start, withdraw, rejoin).
 */
final class Heartbeats {

    private final LanBackendSettings settings;

    private final LanElection.Outbox outbox;

    private final PeerId self;

    private final Ballot ballot;

    private final Campaign campaign;

    private final Terms terms;

    private final long heartbeatNanos;

    private final long handoffGraceNanos;

    private long lastHeartbeatNanos;

    /** A peer we have not heard before wants our answer, which the tick sends if it could not go at once. */
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
        this.handoffGraceNanos = settings.handoffGrace().toNanos();
    }

    /**
     * Sends a heartbeat of {@code from}, which holds {@code mine} (null: none) and follows
     * {@code following}.
     *
     * @return its send time, or -1 if it could not be sent
     */
    long send(LanElection from, long now, @Nullable Leadership mine, @Nullable PeerId following) {
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
        long sent = outbox.send(from, LanMessage.Type.HEARTBEAT,
                (campaign.eligible(now) ? LanMessage.ELIGIBLE : 0) | (listening ? LanMessage.LISTENING : 0), term, leader);
        lastHeartbeatNanos = now;
        answerDue = false;
        if (sent >= 0) {
            campaign.advertised(listening);
        }
        return sent;
    }

    /**
     * Sends {@code from}'s claim of {@code term}: a heartbeat that names itself.
     *
     * @return its send time, or -1 if it could not be sent
     */
    long claim(LanElection from, long term) {
        return outbox.send(from, LanMessage.Type.HEARTBEAT, LanMessage.ELIGIBLE, term, self);
    }

    /** A claim went out at {@code now}: it counts as a heartbeat. */
    void claimSent(long now) {
        lastHeartbeatNanos = now;
    }

    /**
     * Whether a newcomer is to be answered now; if not, the next tick answers it, since we have
     * just sent: made-up newcomers (without a secret anyone can send them) cannot make us flood
     * the group.
     */
    boolean answerNow(long now) {
        if (now - lastHeartbeatNanos >= handoffGraceNanos) {
            return true;
        }
        answerDue = true;
        return false;
    }

    /** Whether the tick is to send a heartbeat: an answer is due, the interval passed, or we stopped listening. */
    boolean due(long now) {
        // Done listening: say so at once, or the others would pass us over in a hand-off.
        return answerDue || now - lastHeartbeatNanos >= heartbeatNanos || campaign.doneListening(now);
    }
}
