package dev.leader.zookeeper;

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
}
