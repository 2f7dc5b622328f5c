package dev.leader.zookeeper;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import dev.leader.election.Backoff;
import dev.leader.election.DaemonThreads;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The one thread on which a candidate talks to ZooKeeper, so its steps never interleave.
 * A failed step is retried with capped backoff by campaigning again; a lost session is not
 * retried here, since the backend's reconnect and new-session events campaign.
 */
final class CandidateThread {

    @FunctionalInterface
    interface Step {
        void run(ZooKeeper zk) throws KeeperException, InterruptedException;
    }

    private final ScheduledExecutorService executor;

    private final ZooKeeperSession session;

    private final Backoff retry = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(5));

    private final Logger log;

    private final String logPrefix;

    private final BooleanSupplier closed;

    private final Step onRetry;

    CandidateThread(String name, ZooKeeperSession session, Logger log, String logPrefix, BooleanSupplier closed,
            Step onRetry) {
        this.session = session;
        this.log = log;
        this.logPrefix = logPrefix;
        this.closed = closed;
        this.onRetry = onRetry;
        this.executor = Executors.newSingleThreadScheduledExecutor(DaemonThreads.single("leader-zookeeper-" + name));
    }

    void submit(Step step) {
        try {
            executor.execute(() -> run(step));
        }
        catch (RejectedExecutionException ex) {
            log.debug("{} step dropped: closed", logPrefix);
        }
    }

    /** Runs {@code task} now and then every {@code period}; null once closed. */
    @Nullable ScheduledFuture<?> every(Duration period, Runnable task) {
        try {
            return executor.scheduleAtFixedRate(task, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (RejectedExecutionException ex) {
            return null;
        }
    }

    /** A step got what it wanted from the server: the next failure retries quickly again. */
    void succeeded() {
        retry.reset();
    }

    /** Lets queued steps (a release) finish, then ends the thread. */
    void shutdown() {
        executor.shutdown();
    }

    private void run(Step step) {
        if (closed.getAsBoolean()) {
            return;
        }
        try {
            step.run(session.client());
        }
        catch (KeeperException.SessionExpiredException | KeeperException.SessionMovedException ex) {
            log.debug("{} {}; the new session campaigns", logPrefix, ex.getMessage());
        }
        catch (KeeperException.ConnectionLossException ex) {
            // Usually the reconnect event campaigns; retrying too is harmless (a campaign waits
            // for the connection) and covers a loss the client reported without a disconnect.
            retryLater(ex, false);
        }
        catch (KeeperException ex) {
            session.recordError(String.valueOf(ex.getMessage()));
            retryLater(ex, true);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (RuntimeException ex) {
            session.recordError(String.valueOf(ex));
            retryLater(ex, true);
        }
    }

    private void retryLater(Exception ex, boolean warn) {
        Duration wait = retry.next();
        if (warn) {
            log.warn("{} ZooKeeper call failed, retrying in {} ms: {}", logPrefix, wait.toMillis(), ex.toString());
        }
        else {
            log.debug("{} {}; retrying in {} ms", logPrefix, ex.getMessage(), wait.toMillis());
        }
        try {
            executor.schedule(() -> run(onRetry), wait.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (RejectedExecutionException closedMeanwhile) {
            log.debug("{} retry dropped: closed", logPrefix);
        }
    }
}
