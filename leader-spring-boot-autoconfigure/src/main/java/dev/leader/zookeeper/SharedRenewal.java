package dev.leader.zookeeper;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.zookeeper.ZooKeeper;
import org.jspecify.annotations.Nullable;

/**
 * One confirmation per renewal interval for every leader of a session (issue 20), instead of one
 * per leader: a {@code sync} and an {@code exists} of one leader's node, as
 * {@link QuorumSync#confirmAsync} does, prove that the session was alive after their send time,
 * and so were all its ephemeral nodes that nobody deleted. Each leader's own watch on its node
 * says whether somebody did: the client delivers that watch's event before the reply to any later
 * read that sees the delete, so a leader whose node changed after it was last verified is not
 * confirmed ({@link Leader#confirmed} checks). Each term's deadline still comes from the send
 * time of the confirmation that covered it.
 */
final class SharedRenewal {

    /** A term that renews through the session's confirmations. */
    interface Leader {

        /** Its node, whose existence proves the session alive; null once it stopped leading. */
        @Nullable String node();

        /** On the client's event thread: the session was alive after {@code sendNanos}. */
        void confirmed(ZooKeeper zk, long sendNanos);

        /** Its node is gone: look again. */
        void nodeGone();
    }

    private final ZooKeeperSession session;

    private final Set<Leader> leaders = ConcurrentHashMap.newKeySet();

    SharedRenewal(ZooKeeperSession session) {
        this.session = session;
    }

    void add(Leader leader) {
        leaders.add(leader);
    }

    void remove(Leader leader) {
        leaders.remove(leader);
    }

    /** Once per renewal interval, on the session's lane. */
    void confirmAll() {
        // A leader added after the send time is confirmed from the next round on: its grant
        // already counted from a later send time, and a deadline never moves back.
        List<Leader> covered = List.copyOf(leaders);
        for (Leader proof : covered) {
            String node = proof.node();
            if (node != null) {
                confirm(covered, proof, node);
                return;
            }
        }
    }

    private void confirm(List<Leader> covered, Leader proof, String node) {
        ZooKeeper zk = session.client();
        QuorumSync.confirmAsync(zk, node, sendNanos -> {
            session.succeeded(System.nanoTime() - sendNanos);
            for (Leader leader : covered) {
                leader.confirmed(zk, sendNanos);
            }
        }, proof::nodeGone);
    }
}
