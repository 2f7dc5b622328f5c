package dev.leader.zookeeper;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.jspecify.annotations.Nullable;

/**
 * Who leads, as a granted leader writes it into the election node's data: its candidate node's
 * name and its candidate id, {@code <node>\n<candidateId>}. Followers watch this one small
 * record instead of the leader's node, so a leader change costs each of them one short read,
 * not a list of every candidate (issue 21). It is only news for followers: a leader's belief
 * rests on its own node being first, never on this record.
 */
record LeaderRecord(String node, String candidateId) {

    /**
     * Writes this record into the data of {@code electionPath} if it is still at {@code version}.
     *
     * @return false when another record was written since that version was read
     */
    boolean write(ZooKeeper zk, String electionPath, int version) throws KeeperException, InterruptedException {
        try {
            zk.setData(electionPath, encode(), version);
            return true;
        }
        catch (KeeperException.BadVersionException ex) {
            return false;
        }
    }

    /** Reads the record of {@code electionPath} and leaves {@code watcher} on it; null when it holds none. */
    static @Nullable LeaderRecord watch(ZooKeeper zk, String electionPath, Watcher watcher)
            throws KeeperException, InterruptedException {
        return parse(zk.getData(electionPath, watcher, null));
    }

    /**
     * Who leads, as a follower that listed {@code nodes} learns it: from the record, which it then
     * watches, once the record names one of them; until then (a leader granted a moment ago, or
     * of a version that writes none) from the first node's own data. Null when that node went
     * meanwhile: its successor's record will tell.
     */
    static @Nullable String leaderOf(ZooKeeper zk, String electionPath, List<CandidateNode> nodes, Watcher watcher)
            throws KeeperException, InterruptedException {
        LeaderRecord record = watch(zk, electionPath, watcher);
        // A record naming a node of the listing is not older than the listing: no node is granted
        // while a node before it exists. One naming a node missing from it is an old leader's.
        if (record != null && nodes.stream().anyMatch(node -> node.name().equals(record.node()))) {
            return record.candidateId();
        }
        try {
            return new String(zk.getData(electionPath + "/" + nodes.get(0).name(), false, null), StandardCharsets.UTF_8);
        }
        catch (KeeperException.NoNodeException ex) {
            return null;
        }
    }

    byte[] encode() {
        return (node + '\n' + candidateId).getBytes(StandardCharsets.UTF_8);
    }

    /** Null for no data or data that is not a record (an election node of an earlier version, or another tool's). */
    static @Nullable LeaderRecord parse(byte @Nullable [] data) {
        if (data == null) {
            return null;
        }
        String text = new String(data, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        if (newline < 0 || CandidateNode.parse(text.substring(0, newline)) == null) {
            return null;
        }
        return new LeaderRecord(text.substring(0, newline), text.substring(newline + 1));
    }
}
