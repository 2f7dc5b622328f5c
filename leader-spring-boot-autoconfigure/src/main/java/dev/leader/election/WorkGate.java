package dev.leader.election;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits leader-only work under one term at a time and, before a voluntary release, stops
 * admitting and waits for the admitted work to end. Lock-free on the admission path (one
 * atomic increment and one volatile read per piece of work): {@link #enter} counts first, then
 * checks the term; {@link #shut} clears the term, then reads the count; whichever order they
 * run in, the drain either sees the work or the work sees the gate shut.
 */
final class WorkGate {

    private static final Logger log = LoggerFactory.getLogger(WorkGate.class);

    private final AtomicInteger running = new AtomicInteger();

    private final Set<Admission> watched = ConcurrentHashMap.newKeySet();

    private volatile @Nullable Leadership admitting;

    // Threads in drain(): only then does the end of work need to wake anyone.
    private final AtomicInteger draining = new AtomicInteger();

    /** Admits work under {@code term} from now on. */
    void open(Leadership term) {
        admitting = term;
    }

    /** Admits nothing until the next {@link #open}; admitted work runs on. */
    void shut() {
        admitting = null;
    }

    /** Admits work under {@code term}: if true, {@link #exit()} once when it ends (an {@link Admission} does). */
    boolean enter(Leadership term) {
        running.incrementAndGet();
        if (admitting != term) {
            exit();
            return false;
        }
        return true;
    }

    int running() {
        return running.get();
    }

    /**
     * Shuts the gate if {@code term} is still admitted, asks watched work to end, and waits until
     * no admitted work runs.
     *
     * @return false if work still runs after {@code timeout}
     */
    boolean drain(Leadership term, Duration timeout, String logPrefix) {
        if (admitting == term) {
            shut();
        }
        for (Admission admission : List.copyOf(watched)) {
            Runnable stop = admission.releaseCallback();
            if (stop != null && !admission.isClosed()) {
                try {
                    stop.run();
                }
                catch (RuntimeException ex) {
                    log.warn("{} stopping leader-only work before the release failed", logPrefix, ex);
                }
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        draining.incrementAndGet();
        try {
            synchronized (this) {
                while (running.get() > 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            }
            return true;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
        finally {
            draining.decrementAndGet();
        }
    }

    void exit() {
        if (running.decrementAndGet() == 0 && draining.get() > 0) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    void watch(Admission admission) {
        watched.add(admission);
    }

    void unwatch(Admission admission) {
        watched.remove(admission);
    }
}
