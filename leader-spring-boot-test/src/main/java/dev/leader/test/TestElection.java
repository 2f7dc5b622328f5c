package dev.leader.test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import dev.leader.election.AbstractElection;
import dev.leader.election.ElectionState;
import dev.leader.election.LeaseDeadline;
import dev.leader.election.Leadership;
import dev.leader.election.RevokeReason;
import org.jspecify.annotations.Nullable;

/**
 * A candidate of the test backend. Every change goes through {@link AbstractElection}'s
 * transitions, which is what makes it indistinguishable from a real backend's election to
 * listeners and to the {@code @LeaderOnly} guard.
 */
final class TestElection extends AbstractElection {

    private final LeadershipMode mode;

    private final AtomicLong tokens;

    TestElection(String name, String candidateId, LeadershipMode mode, AtomicLong tokens) {
        // The test decides when a term ends; a lease that could expire on a slow CI machine
        // would end terms behind its back.
        super(name, candidateId, LeaseDeadline.unbounded());
        this.mode = mode;
        this.tokens = tokens;
    }

    @Override
    protected void onStart() {
        if (mode == LeadershipMode.ALWAYS) {
            win();
        }
    }

    @Override
    protected void onYield(Leadership term) {
        // A lone candidate of a real backend campaigns again and wins the next term.
        if (mode == LeadershipMode.ALWAYS) {
            win();
        }
    }

    @Override
    protected void onWithdraw(@Nullable Leadership held) {
    }

    @Override
    protected void onRejoin() {
        onStart();
    }

    @Override
    protected void onClose(@Nullable Leadership held) {
    }

    /** Grants the next term, or returns the current one if already leading. */
    Leadership grantNow() {
        if (mode == LeadershipMode.NEVER) {
            throw new IllegalStateException(logPrefix + " cannot be granted: leader.test.mode is never; "
                    + "use manual (or always) to grant leadership in this test");
        }
        requireCampaigning();
        win();
        Leadership term = currentTerm();
        if (term == null) {
            throw new IllegalStateException(logPrefix + " was not granted: it is " + state());
        }
        return term;
    }

    /** Ends the current term, as a backend reporting {@code reason} would; false if not leading. */
    boolean revokeNow(RevokeReason reason) {
        if (reason == RevokeReason.CLOSED || reason == RevokeReason.YIELDED) {
            throw new IllegalArgumentException(logPrefix + " revoke reason " + reason + " is not allowed: "
                    + "close the election or yield instead");
        }
        boolean lost = reason == RevokeReason.CONNECTION_LOST || reason == RevokeReason.LEASE_EXPIRED;
        return revokeCurrent(reason, lost ? ElectionState.DISCONNECTED : ElectionState.FOLLOWER);
    }

    /** Another candidate leads now; a leading candidate is preempted first. */
    void leaderElsewhere(String otherCandidateId) {
        if (otherCandidateId.equals(candidateId())) {
            throw new IllegalArgumentException(logPrefix + " " + otherCandidateId + " is this candidate; use grant");
        }
        requireCampaigning();
        revokeCurrent(RevokeReason.PREEMPTED, ElectionState.FOLLOWER);
        follow(otherCandidateId);
    }

    boolean awaitEvents(Duration timeout) throws InterruptedException {
        return awaitQueuedEventsDelivered(timeout);
    }

    private void win() {
        if (currentTerm() == null && grant(tokens.incrementAndGet(), System.nanoTime())) {
            log.debug("{} granted by the test backend", logPrefix);
        }
    }

    private void requireCampaigning() {
        ElectionState state = state();
        if (state == ElectionState.LATENT || state == ElectionState.CLOSED) {
            throw new IllegalStateException(logPrefix + " is " + state
                    + ": leadership can be changed only while the application context runs");
        }
        if (state == ElectionState.WITHDRAWN) {
            throw new IllegalStateException(logPrefix + " is withdrawn (the application refuses traffic): start it"
                    + " again before granting it leadership");
        }
    }
}
