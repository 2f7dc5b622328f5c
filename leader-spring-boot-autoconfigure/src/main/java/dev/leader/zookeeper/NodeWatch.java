package dev.leader.zookeeper;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;

/**
 * How a candidate watches a node: with {@code getData}, never {@code exists}. An
 * {@code exists} on a node that vanished a moment ago (a predecessor gone between reading the
 * children and watching it) still registers a watch, waiting for a create that never comes for
 * a sequential name, on the server and in the client, for as long as the session lives; Curator's
 * LeaderLatch watches with {@code getData} for the same reason.
 */
final class NodeWatch {

    private NodeWatch() {
    }

    /** Watches {@code path}; null, and no watch left behind, when it does not exist. */
    static @Nullable Stat set(ZooKeeper zk, String path, Watcher watcher) throws KeeperException, InterruptedException {
        Stat stat = new Stat();
        try {
            zk.getData(path, watcher, stat);
            return stat;
        }
        catch (KeeperException.NoNodeException ex) {
            return null;
        }
    }

    /**
     * Sends the watching read of {@link #set} without waiting for its answer, so that it shares a
     * round trip with the requests sent after it; {@link #await} the answer.
     */
    static CompletableFuture<@Nullable Stat> send(ZooKeeper zk, String path, Watcher watcher) {
        CompletableFuture<@Nullable Stat> answer = new CompletableFuture<>();
        zk.getData(path, watcher, (rc, p, ctx, data, stat) -> {
            KeeperException.Code code = KeeperException.Code.get(rc);
            if (code == KeeperException.Code.OK) {
                answer.complete(stat);
            }
            else if (code == KeeperException.Code.NONODE) {
                answer.complete(null);
            }
            else {
                answer.completeExceptionally(KeeperException.create(code, p));
            }
        }, null);
        return answer;
    }

    /** The answer to a read {@link #send sent}: as {@link #set} returns it, or its failure. */
    static @Nullable Stat await(CompletableFuture<@Nullable Stat> sent, Duration timeout) throws KeeperException, InterruptedException {
        try {
            return sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException ex) {
            if (ex.getCause() instanceof KeeperException keeper) {
                throw keeper;
            }
            throw new KeeperException.ConnectionLossException();
        }
        catch (TimeoutException ex) {
            throw new KeeperException.ConnectionLossException();
        }
    }
}
