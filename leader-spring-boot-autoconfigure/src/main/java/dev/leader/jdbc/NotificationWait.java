package dev.leader.jdbc;

import java.util.function.Consumer;

/**
 * PostgreSQL's wait: no query at all. The follower sleeps until the lease it read would end, and
 * the backend's one listening connection moves that end on every renewal it hears
 * ({@code held}) and wakes the follower on a release ({@code released}) or when it had to
 * listen anew (a notification may have been missed). If notifications stop (the listening
 * connection is down), the follower wakes when the last lease it heard of ends and reads again.
 */
final class NotificationWait implements FollowerWait, PostgresListener.Subscriber {

    private final String election;

    private final String candidateId;

    private final Wakeup wakeup;

    private final Consumer<String> leaderSeen;

    private final PostgresListener listener;

    NotificationWait(String election, String candidateId, Wakeup wakeup, Consumer<String> leaderSeen,
            PostgresListener listener) {
        this.election = election;
        this.candidateId = candidateId;
        this.wakeup = wakeup;
        this.leaderSeen = leaderSeen;
        this.listener = listener;
        listener.subscribe(election, this);
    }

    @Override
    public void await(long remainingNanos) throws InterruptedException {
        wakeup.awaitExtensible(remainingNanos);
    }

    @Override
    public void close() {
        listener.unsubscribe(election, this);
    }

    // ---- from the listening thread ----

    @Override
    public void held(String holder, long leaseMillis, long receivedNanos) {
        if (holder.equals(candidateId)) {
            return; // our own grant or renewal
        }
        leaderSeen.accept(holder);
        // The lease runs from the statement, which was before we heard of it: waking at
        // receipt + lease is never early, and late only by the delivery time.
        wakeup.extendTo(receivedNanos + leaseMillis * 1_000_000);
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
