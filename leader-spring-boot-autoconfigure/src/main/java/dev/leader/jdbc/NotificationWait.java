package dev.leader.jdbc;

import dev.leader.jdbc.LeaseStatements.Version;

/**
 * PostgreSQL's wait: no query and no thread. The follower's next step is timed for when the
 * version it watches may be taken over, and the backend's one listening connection pushes that
 * back on every renewal it hears ({@code held}, with the new version, a lease from its receipt)
 * and wakes the follower on a release ({@code released}) or when it had to listen anew (a
 * notification may have been missed). If notifications stop (a crashed leader, or the listening connection is down), the
 * follower wakes a lease after the last renewal it heard of and tries to take over.
 */
final class NotificationWait implements FollowerWait, LeaseSubscriber {

    private final String election;

    private final String candidateId;

    private final Wakeup wakeup;

    private final LeaseHeard leaseHeard;

    private final PostgresListener listener;

    NotificationWait(String election, String candidateId, Wakeup wakeup, LeaseHeard leaseHeard,
            PostgresListener listener) {
        this.election = election;
        this.candidateId = candidateId;
        this.wakeup = wakeup;
        this.leaseHeard = leaseHeard;
        this.listener = listener;
        listener.subscribe(election, this);
    }

    @Override
    public void await(long remainingNanos) {
        wakeup.afterExtensible(remainingNanos);
    }

    @Override
    public void close() {
        listener.unsubscribe(election, this);
    }

    // ---- from the listening thread: they only set or bring forward the next step ----

    @Override
    public void held(String holder, Version version, long leaseMillis, long receivedNanos) {
        if (holder.equals(candidateId)) {
            return; // our own grant or renewal
        }
        // The renewal was sent before we heard of it: a takeover a lease after the receipt is
        // never early, and late only by the delivery time.
        wakeup.extendTo(leaseHeard.heard(holder, version, leaseMillis * 1_000_000, receivedNanos));
    }

    @Override
    public void released() {
        wakeup.wake();
    }

    @Override
    public void resync() {
        wakeup.wake();
    }
}
