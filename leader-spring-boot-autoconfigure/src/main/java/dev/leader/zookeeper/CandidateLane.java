package dev.leader.zookeeper;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import dev.leader.election.Backoff;
import dev.leader.election.SerialLane;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.slf4j.Logger;

/**
 * The lane on which a candidate talks to ZooKeeper, so its steps never interleave; the lane
 * runs on threads every election of the session shares ({@link ZooKeeperSession#lane()}).
 * A failed step is retried with capped backoff by campaigning again; a lost session is not
 * retried here, since the backend's reconnect and new-session events campaign.
 */
final class CandidateLane {

    @FunctionalInterface
    interface Step {
        void run(ZooKeeper zk) throws KeeperException, InterruptedException;
    }

    private final SerialLane lane;

    private final ZooKeeperSession session;

    private final Backoff retry = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(5));

    private final Logger log;

    private final String logPrefix;

    private final BooleanSupplier closed;

    private final Step onRetry;

    CandidateLane(ZooKeeperSession session, Logger log, String logPrefix, BooleanSupplier closed,
            Step onRetry) {
        this.session = session;
        this.log = log;
        this.logPrefix = logPrefix;
        this.closed = closed;
        this.onRetry = onRetry;
        this.lane = session.lane();
    }

    void submit(Step step) {
        if (!lane.execute(() -> run(step))) {
            log.debug("{} step dropped: closed", logPrefix);
        }
    }

    /** A step got what it wanted from the server: the next failure retries quickly again. */
    void succeeded() {
        retry.reset();
    }

    /** Lets queued steps (a release) finish, then refuses new ones. */
    void shutdown() {
        lane.shutdown();
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
        if (lane.schedule(wait, () -> run(onRetry)) == null) {
            log.debug("{} retry dropped: closed", logPrefix);
        }
    }
}
