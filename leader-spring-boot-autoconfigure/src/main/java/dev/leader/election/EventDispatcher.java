package dev.leader.election;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one election's events to its listeners, in order, on one daemon thread of its own.
 * The election thread only enqueues, so a listener that blocks or throws never stalls the
 * election itself; it only delays the events queued behind it.
 */
final class EventDispatcher {

    private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);

    private final String logPrefix;

    private final List<ElectionListener> listeners = new CopyOnWriteArrayList<>();

    private final ExecutorService thread;

    private volatile @Nullable Thread eventThread;

    EventDispatcher(String election, String candidateId) {
        this.logPrefix = "[election=" + election + ", id=" + candidateId + "]";
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread t = new Thread(task, "leader-events-" + election);
            t.setDaemon(true);
            eventThread = t;
            return t;
        });
    }

    void add(ElectionListener listener) {
        listeners.add(listener);
    }

    void remove(ElectionListener listener) {
        listeners.remove(listener);
    }

    void granted(Leadership leadership) {
        dispatch("granted", l -> l.granted(leadership));
    }

    void revoked(Leadership leadership, RevokeReason reason) {
        dispatch("revoked", l -> l.revoked(leadership, reason));
    }

    void leaderChanged(Optional<String> leaderId) {
        dispatch("leaderChanged", l -> l.leaderChanged(leaderId));
    }

    /** Delivers what is queued, then lets the thread end. */
    void shutdown() {
        thread.shutdown();
    }

    /** Waits for queued events to be delivered; for orderly shutdown and tests. */
    boolean awaitDrained(long timeout, TimeUnit unit) throws InterruptedException {
        return thread.awaitTermination(timeout, unit);
    }

    /**
     * Waits until every event queued before this call has been delivered. Called from a
     * listener (the event thread itself) it returns at once: waiting there would wait forever.
     */
    boolean awaitDelivered(long timeout, TimeUnit unit) throws InterruptedException {
        if (Thread.currentThread() == eventThread) {
            return true;
        }
        CountDownLatch marker = new CountDownLatch(1);
        try {
            // One thread, FIFO queue: when the marker runs, everything queued before it ran.
            thread.execute(marker::countDown);
        }
        catch (RejectedExecutionException ex) {
            return thread.awaitTermination(timeout, unit);
        }
        return marker.await(timeout, unit);
    }

    private void dispatch(String event, Consumer<ElectionListener> call) {
        try {
            thread.execute(() -> {
                for (ElectionListener listener : listeners) {
                    try {
                        call.accept(listener);
                    }
                    catch (RuntimeException | Error ex) {
                        log.warn("{} listener {} failed on {}", logPrefix, listener, event, ex);
                    }
                }
            });
        }
        catch (RejectedExecutionException ex) {
            log.debug("{} {} after shutdown not delivered", logPrefix, event);
        }
    }
}
