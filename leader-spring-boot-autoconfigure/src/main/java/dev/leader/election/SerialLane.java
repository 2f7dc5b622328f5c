package dev.leader.election;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one owner's tasks (one election's calls to its server) one at a time, in the order they
 * were queued, on threads shared with every other lane of its {@link SerialLanes}: an
 * election costs a queue, not a thread. A task never overlaps the one before it; delayed and
 * periodic tasks join the queue when due, behind what is already queued.
 * <p>
 * Each task is handed to the shared workers on its own, so a lane with many queued tasks takes
 * turns with the others instead of holding a worker. {@link EventDispatcher} keeps its own queue
 * in the same way, not this class: it must inspect and collapse what is pending.
 * <p>
 * Each task sees what the tasks before it wrote, as on a single thread: the hand-off to the
 * workers orders them.
 * <p>
 * {@link #shutdown()} refuses new work and stops periodic tasks; what is already queued still
 * runs (a release queued by {@code close()}). A task that throws is logged; the lane goes on.
 */
public final class SerialLane {

    private static final Logger log = LoggerFactory.getLogger(SerialLane.class);

    private final SerialLanes lanes;

    // Guarded by this.
    private final Deque<Runnable> pending = new ArrayDeque<>();

    // Guarded by this: a task of this lane is handed to the workers or running.
    private boolean running;

    // Guarded by this.
    private boolean shutdown;

    SerialLane(SerialLanes lanes) {
        this.lanes = lanes;
    }

    /**
     * Queues {@code task} behind every task queued before it.
     *
     * @return false when the lane is shut down: the task will not run
     */
    public boolean execute(Runnable task) {
        synchronized (this) {
            if (shutdown) {
                return false;
            }
            pending.addLast(task);
            if (running) {
                return true;
            }
            running = true;
        }
        if (handOff()) {
            return true;
        }
        // The pool was closed with its owner (the backend), and no worker of it runs this lane.
        int dropped;
        synchronized (this) {
            shutdown = true;
            running = false;
            dropped = pending.size();
            pending.clear();
        }
        log.debug("{} task(s) dropped: the lanes' pool is closed", dropped);
        return false;
    }

    /**
     * Queues {@code task} once {@code delay} has passed; cancelling the future before then keeps
     * it from being queued.
     *
     * @return null when the lane or its pool is shut down
     */
    public @Nullable Future<?> schedule(Duration delay, Runnable task) {
        if (isShutdown()) {
            return null;
        }
        try {
            return lanes.timer().schedule(() -> execute(task), delay.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (RejectedExecutionException ex) {
            return null;
        }
    }

    /**
     * Queues {@code task} every {@code period}, the first time one period from now, until the
     * returned future is cancelled or the lane shuts down. A run still queued when the next is
     * due is not queued twice, so a busy lane does not pile up runs; once cancelled, a run
     * already queued does nothing.
     *
     * @return null when the lane or its pool is shut down
     */
    public @Nullable Future<?> every(Duration period, Runnable task) {
        if (isShutdown()) {
            return null;
        }
        Periodic periodic = new Periodic(task);
        try {
            periodic.future = lanes.timer().scheduleAtFixedRate(periodic::due, period.toNanos(), period.toNanos(),
                    TimeUnit.NANOSECONDS);
        }
        catch (RejectedExecutionException ex) {
            return null;
        }
        return periodic.future;
    }

    /** Accepts no more tasks and stops periodic ones; queued tasks still run. */
    public synchronized void shutdown() {
        shutdown = true;
    }

    public synchronized boolean isShutdown() {
        return shutdown;
    }

    /** How many tasks wait; for tests. */
    synchronized int pendingCount() {
        return pending.size();
    }

    private void runNext() {
        while (true) {
            Runnable task;
            synchronized (this) {
                task = pending.pollFirst();
            }
            try {
                if (task != null) {
                    task.run();
                }
            }
            catch (RuntimeException ex) {
                log.warn("task {} failed", task, ex);
            }
            synchronized (this) {
                if (pending.isEmpty()) {
                    running = false;
                    return;
                }
            }
            if (handOff()) {
                return;
            }
            // The pool is closing: this worker runs what the lane had queued, and nothing new.
            shutdown();
        }
    }

    /** @return false when the pool is closed */
    private boolean handOff() {
        try {
            lanes.workers().execute(this::runNext);
            return true;
        }
        catch (RejectedExecutionException ex) {
            return false;
        }
    }

    private final class Periodic {

        private final Runnable task;

        private final AtomicBoolean queued = new AtomicBoolean();

        // Set right after scheduling; the first run is a whole period later.
        private volatile @Nullable ScheduledFuture<?> future;

        Periodic(Runnable task) {
            this.task = task;
        }

        /** On the timer: only queues, so one timer thread serves every lane. */
        void due() {
            if (!queued.compareAndSet(false, true)) {
                return;
            }
            if (!execute(this::runUnlessCancelled)) {
                ScheduledFuture<?> current = future;
                if (current != null) {
                    current.cancel(false);
                }
            }
        }

        private void runUnlessCancelled() {
            queued.set(false);
            ScheduledFuture<?> current = future;
            if (current == null || !current.isCancelled()) {
                task.run();
            }
        }
    }
}
