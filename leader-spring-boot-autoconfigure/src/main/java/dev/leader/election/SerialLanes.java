package dev.leader.election;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads a backend's {@link SerialLane}s share, made once per backend: a fixed number of
 * workers that run the lanes' tasks (which may block on a round trip to the server) and one
 * timer thread that only queues delayed and periodic tasks onto their lanes. The threads
 * number the same for one election or ten thousand; idle ones end after a minute.
 */
public final class SerialLanes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SerialLanes.class);

    private static final long IDLE_SECONDS = 60;

    private final ThreadPoolExecutor workers;

    private final ScheduledThreadPoolExecutor timer;

    /**
     * @param name prefix of the threads' names: {@code name-1} … for workers,
     *        {@code name-timer-1} for the timer
     * @param workers how many lane tasks may run at once, across all lanes
     */
    public SerialLanes(String name, int workers) {
        this.workers = new ThreadPoolExecutor(workers, workers, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                DaemonThreads.named(name));
        this.workers.allowCoreThreadTimeOut(true);
        this.timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.named(name + "-timer"));
        // Cancelled renewals and retries leave the timer's queue at once instead of when due.
        this.timer.setRemoveOnCancelPolicy(true);
        this.timer.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
        this.timer.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs {@code task} every {@code period} on the timer thread itself, ahead of whatever the
     * lanes have queued: for a short task that must not wait behind blocking steps, such as the
     * renewal every lease of the backend depends on. While it runs, no delayed task of any lane
     * is queued: a task that blocks (a JDBC statement) fits only a backend whose delayed steps
     * would wait for the same connection anyway. A task that throws is logged and runs again at
     * the next period.
     *
     * @return null when these threads are closed
     */
    public @Nullable ScheduledFuture<?> everyOnTimer(Duration period, Runnable task) {
        Runnable logged = () -> {
            try {
                task.run();
            }
            catch (RuntimeException ex) {
                log.warn("periodic task {} failed", task, ex);
            }
        };
        try {
            return timer.scheduleAtFixedRate(logged, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (RejectedExecutionException ex) {
            return null;
        }
    }

    /** A new lane on these threads. */
    public SerialLane lane() {
        return new SerialLane(this);
    }

    /**
     * Stops every delayed and periodic task; a lane that is running finishes what it had
     * queued, then the threads end. Lanes refuse new work from now on.
     */
    @Override
    public void close() {
        timer.shutdownNow();
        workers.shutdown();
    }

    ExecutorService workers() {
        return workers;
    }

    ScheduledExecutorService timer() {
        return timer;
    }
}
