package dev.leader.jdbc;

/**
 * PostgreSQL's wait: no query and no thread. The follower's next step is timed for when the
 * version it watches may be taken over, and the backend's one listening connection pushes that
 * back on every renewal it hears ({@code held}, with the new version, a lease from its receipt)
 * and wakes the follower on a release ({@code released}) or when it had to listen anew (a
 * notification may have been missed). If notifications stop (a crashed leader, or the listening connection is down), the
 * follower wakes a lease after the last renewal it heard of and tries to take over.
 */
final class NotificationWait extends SubscribedWait {

    private final PostgresListener listener;

    NotificationWait(String election, String candidateId, Wakeup wakeup, LeaseHeard leaseHeard,
            PostgresListener listener) {
        super(election, candidateId, wakeup, leaseHeard);
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
}
