package dev.leader.election;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one election's events to its listeners, in the order they were queued, one at a
 * time. The election only queues (it never waits for a listener), so a listener that blocks or
 * throws never stalls the election: it only delays the events queued behind it.
 * <p>
 * Events queue on the election's own serial queue and are delivered on a shared pool whose
 * threads exist only while some election has events to deliver: an election at rest costs no
 * thread. The queue is bounded: once {@value #COALESCE_AT} events wait behind a slow listener,
 * a term the listeners have not yet heard of is dropped whole when its revoke is queued
 * (they hear neither its {@code granted} nor its {@code revoked}), and consecutive
 * {@code leaderChanged} events collapse into the last. Order, and "no granted without its
 * revoked before the next granted", still hold for what is delivered.
 * <p>
 * A term whose lease lapsed before its {@code granted} could be delivered (the process was
 * stopped or starved between the grant and the delivery) is not heard at all, neither its
 * {@code granted} nor its {@code revoked}: a listener told of it then would act on a term another
 * candidate may already hold.
 */
final class EventDispatcher {

    /** Pending events beyond which unheard terms and repeated leader changes collapse. */
    static final int COALESCE_AT = 32;

    private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);

    private static final Executor SHARED_POOL = sharedPool();

    private final String logPrefix;

    private volatile Executor executor;

    private final List<ElectionListener> listeners = new CopyOnWriteArrayList<>();

    // Guarded by this.
    private final Deque<Event> pending = new ArrayDeque<>();

    // Guarded by this: a delivery task is queued or running.
    private boolean delivering;

    // Guarded by this: no events are accepted any more.
    private boolean shutdown;

    private volatile @Nullable Thread deliveryThread;

    private final Predicate<Leadership> lapsed;

    // Only the delivery thread: a term whose granted was not delivered, so neither is its revoked.
    private @Nullable Leadership unheard;

    /**
     * @param lapsed whether a term's lease deadline has passed (asked before its {@code granted}
     *        is delivered)
     */
    EventDispatcher(String logPrefix, Predicate<Leadership> lapsed) {
        this(logPrefix, SHARED_POOL, lapsed);
    }

    EventDispatcher(String logPrefix, Executor executor, Predicate<Leadership> lapsed) {
        this.logPrefix = logPrefix;
        this.executor = executor;
        this.lapsed = lapsed;
    }

    private sealed interface Event {
    }

    private record Granted(Leadership leadership) implements Event {
    }

    private record Revoked(Leadership leadership, RevokeReason reason) implements Event {
    }

    private record LeaderChanged(Optional<String> leaderId) implements Event {
    }

    /** Counts down when every event queued before it has been delivered. */
    private record Marker(CountDownLatch delivered) implements Event {
    }

    /** Delivers the events queued from now on with {@code executor}, still one at a time and in order. */
    void deliverOn(Executor executor) {
        this.executor = executor;
    }

    void add(ElectionListener listener) {
        listeners.add(listener);
    }

    void remove(ElectionListener listener) {
        listeners.remove(listener);
    }

    void granted(Leadership leadership) {
        queue(new Granted(leadership));
    }

    void revoked(Leadership leadership, RevokeReason reason) {
        queue(new Revoked(leadership, reason));
    }

    void leaderChanged(Optional<String> leaderId) {
        queue(new LeaderChanged(leaderId));
    }

    /** Accepts no more events; those already queued are still delivered. */
    synchronized void shutdown() {
        shutdown = true;
    }

    /** Whether the caller is delivering this dispatcher's events (a listener). */
    boolean isDeliveryThread() {
        return Thread.currentThread() == deliveryThread;
    }

    /**
     * Waits until every event queued so far has been delivered. Called from a listener it
     * returns at once: waiting there would wait forever.
     */
    boolean awaitDelivered(long timeout, TimeUnit unit) throws InterruptedException {
        if (isDeliveryThread()) {
            return true;
        }
        CountDownLatch delivered = new CountDownLatch(1);
        synchronized (this) {
            if (pending.isEmpty() && !delivering) {
                return true;
            }
            pending.addLast(new Marker(delivered));
        }
        return delivered.await(timeout, unit);
    }

    /** How many events wait; for tests of the bound. */
    synchronized int pendingCount() {
        return pending.size();
    }

    private void queue(Event event) {
        synchronized (this) {
            if (shutdown) {
                log.debug("{} {} after shutdown not delivered", logPrefix, event);
                return;
            }
            if (pending.size() < COALESCE_AT || !coalesce(event)) {
                pending.addLast(event);
            }
            if (delivering) {
                return;
            }
            delivering = true;
        }
        executor.execute(this::deliverPending);
    }

    /** @return true when {@code event} was absorbed by what is already pending */
    private boolean coalesce(Event event) {
        if (event instanceof Revoked revoked) {
            for (Iterator<Event> it = pending.iterator(); it.hasNext();) {
                if (it.next() instanceof Granted granted && granted.leadership() == revoked.leadership()) {
                    it.remove();
                    return true;
                }
            }
        }
        if (event instanceof LeaderChanged) {
            while (pending.peekLast() instanceof LeaderChanged) {
                pending.pollLast();
            }
        }
        return false;
    }

    private void deliverPending() {
        deliveryThread = Thread.currentThread();
        try {
            while (true) {
                Event event;
                synchronized (this) {
                    event = pending.pollFirst();
                    if (event == null) {
                        delivering = false;
                        return;
                    }
                }
                deliver(event);
            }
        }
        finally {
            deliveryThread = null;
        }
    }

    private void deliver(Event event) {
        if (event instanceof Marker marker) {
            marker.delivered().countDown();
            return;
        }
        if (event instanceof Granted granted && (lapsed.test(granted.leadership()) || expiryPending(granted.leadership()))) {
            unheard = granted.leadership();
            log.warn("{} term {} lapsed before its grant could be delivered (the process was stopped or starved); listeners do not hear it",
                    logPrefix, granted.leadership().fencingToken());
            return;
        }
        if (event instanceof Revoked revoked && revoked.leadership() == unheard) {
            unheard = null;
            return;
        }
        if (event instanceof Granted) {
            AbstractElection.trace(logPrefix, "deliver: calling the listeners of granted");
        }
        for (ElectionListener listener : listeners) {
            try {
                if (event instanceof Granted granted) {
                    listener.granted(granted.leadership());
                }
                else if (event instanceof Revoked revoked) {
                    listener.revoked(revoked.leadership(), revoked.reason());
                }
                else if (event instanceof LeaderChanged changed) {
                    listener.leaderChanged(changed.leaderId());
                }
            }
            catch (RuntimeException | Error ex) {
                log.warn("{} listener {} failed on {}", logPrefix, listener, event, ex);
            }
        }
    }

    /** Whether the revoke of {@code term} for an expired lease is queued already. */
    private synchronized boolean expiryPending(Leadership term) {
        return pending.stream().anyMatch(e -> e instanceof Revoked revoked && revoked.leadership() == term
                && revoked.reason() == RevokeReason.LEASE_EXPIRED);
    }

    /**
     * Threads are made when some election has events to deliver and end after a minute idle;
     * their number is the number of elections delivering at one moment (a listener that blocks
     * holds one), not the number of elections.
     */
    private static Executor sharedPool() {
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                DaemonThreads.named("leader-events"));
    }
}
