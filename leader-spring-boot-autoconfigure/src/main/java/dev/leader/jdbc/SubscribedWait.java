package dev.leader.jdbc;

import dev.leader.jdbc.LeaseStatements.Version;

/**
 * A follower's wait without a thread, moved by what it is told of the lease
 * ({@link LeaseSubscriber}): its next step is timed for when the version it watches may be taken
 * over, pushed back by every grant or renewal to another it hears of, and brought forward when
 * the lease is released or changes may have been missed. What tells it is the subclass's.
 */
abstract class SubscribedWait implements FollowerWait, LeaseSubscriber {

    protected final String election;

    private final String candidateId;

    protected final Wakeup wakeup;

    private final LeaseHeard leaseHeard;

    SubscribedWait(String election, String candidateId, Wakeup wakeup, LeaseHeard leaseHeard) {
        this.election = election;
        this.candidateId = candidateId;
        this.wakeup = wakeup;
        this.leaseHeard = leaseHeard;
    }

    // ---- from whoever tells: they only set or bring forward the next step ----

    @Override
    public final void held(String holder, Version version, long leaseMillis, long receivedNanos) {
        if (holder.equals(candidateId)) {
            return; // our own grant or renewal, or a claim of ours whose answer was lost: the next step sees it
        }
        // The write was sent before we heard of it: a takeover a lease after the receipt is
        // never early, and late only by the delivery time.
        wakeup.extendTo(leaseHeard.heard(holder, version, leaseMillis * 1_000_000, receivedNanos));
    }

    @Override
    public final void released() {
        wakeup.wake();
    }

    @Override
    public final void resync() {
        wakeup.wake();
    }
}
