package dev.leader.zookeeper;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;

/**
 * Proof that our session and node were alive at some moment after a known send time, which is
 * what a lease deadline is measured from. A server cut off from its quorum still answers reads
 * for up to syncLimit ticks; a {@code sync} must pass through the ensemble's leader, so a read
 * that follows it on the same session is not stale.
 */
final class QuorumSync {

    private QuorumSync() {
    }

    /**
     * Sends a sync on {@code path} without waiting for it: requests of one session are answered
     * in order, so reads sent after it see the world after it. {@link #await} its answer before
     * believing them.
     */
    static CompletableFuture<Integer> send(ZooKeeper zk, String path) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        zk.sync(path, (rc, p, ctx) -> done.complete(rc), null);
        return done;
    }

    /** Waits for the answer to a sync {@link #send sent} on {@code path}. */
    static void await(CompletableFuture<Integer> sent, String path, Duration timeout) throws KeeperException, InterruptedException {
        int rc;
        try {
            rc = sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException | TimeoutException ex) {
            throw new KeeperException.ConnectionLossException();
        }
        KeeperException.Code code = KeeperException.Code.get(rc);
        if (code != KeeperException.Code.OK) {
            throw KeeperException.create(code, path);
        }
    }

    /**
     * Asynchronously: sync, then check that {@code path} is still owned by this session. While
     * disconnected no reply comes and the deadline simply passes; requests of one session are
     * answered in order, so the exists sees the world after the sync.
     *
     * @param confirmed called with the send time once both succeeded
     * @param gone called when the node no longer exists
     */
    static void confirmAsync(ZooKeeper zk, String path, LongConsumer confirmed, Runnable gone) {
        long session = zk.getSessionId();
        long sendNanos = System.nanoTime();
        zk.sync(path, (syncRc, p, c) -> {
            if (KeeperException.Code.get(syncRc) != KeeperException.Code.OK) {
                return;
            }
            zk.exists(path, false, (rc, p2, ctx, stat) -> {
                KeeperException.Code code = KeeperException.Code.get(rc);
                if (code == KeeperException.Code.OK && stat != null && stat.getEphemeralOwner() == session) {
                    confirmed.accept(sendNanos);
                }
                else if (code == KeeperException.Code.NONODE) {
                    gone.run();
                }
            }, null);
        }, null);
    }
}
