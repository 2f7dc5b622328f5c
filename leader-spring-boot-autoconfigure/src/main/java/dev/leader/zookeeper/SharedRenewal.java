package dev.leader.zookeeper;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ObjLongConsumer;
import java.util.function.Supplier;
import dev.leader.election.SerialLanes;
import org.apache.zookeeper.ZooKeeper;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One confirmation per renewal interval for every leader of a session (issue 20), instead of one
 * per leader: a {@code sync} and an {@code exists} of one leader's node, as
 * {@link QuorumSync#confirmAsync} does, prove that the session was alive after their send time,
 * and so were all its ephemeral nodes that nobody deleted. Each leader's own watch on its node
 * says whether somebody did: the client delivers that watch's event before the reply to any later
 * read that sees the delete, so a leader whose node changed after it was last verified is not
 * confirmed (its {@code confirmed} checks). Each term's deadline still comes from the send
 * time of the confirmation that covered it. When the node that was to prove it is gone, that
 * round confirms nobody (its leader looks again); belief outlasts three missed rounds.
 */
final class SharedRenewal {

    private static final Logger log = LoggerFactory.getLogger(SharedRenewal.class);

    /**
     * A term that renews through the session's confirmations.
     *
     * @param node its node, whose existence proves the session alive; null once it stopped leading
     * @param confirmed called on the client's event thread with the send time of a confirmation
     * @param nodeGone called when its node is gone: look again
     */
    record Leader(Supplier<@Nullable String> node, ObjLongConsumer<ZooKeeper> confirmed, Runnable nodeGone) {
    }

    private final ZooKeeperSession session;

    private final Set<Leader> leaders = ConcurrentHashMap.newKeySet();

    /**
     * Confirms every {@code interval} on the timer of {@code lanes}, for as long as the session
     * lives. Not on a lane: a round only sends two asynchronous requests, and queued behind the
     * blocking steps of thousands of campaigning elections it would come too late for the leases.
     */
    SharedRenewal(ZooKeeperSession session, SerialLanes lanes, Duration interval) {
        this.session = session;
        lanes.everyOnTimer(interval, this::confirmAll);
    }

    void add(Leader leader) {
        leaders.add(leader);
    }

    void remove(Leader leader) {
        leaders.remove(leader);
    }

    private void confirmAll() {
        // A leader added after the send time is confirmed from the next round on: its grant
        // already counted from a later send time, and a deadline never moves back.
        List<Leader> covered = List.copyOf(leaders);
        for (Leader proof : covered) {
            String node = proof.node().get();
            if (node != null) {
                try {
                    confirm(covered, proof, node);
                }
                catch (RuntimeException ex) {
                    // A missed confirmation only shortens belief; the next one comes an interval later.
                    log.warn("{} renewal failed: {}", session.logPrefix(), ex.toString());
                }
                return;
            }
        }
    }

    private void confirm(List<Leader> covered, Leader proof, String node) {
        ZooKeeper zk = session.client();
        QuorumSync.confirmAsync(zk, node, sendNanos -> {
            session.succeeded(System.nanoTime() - sendNanos);
            for (Leader leader : covered) {
                leader.confirmed().accept(zk, sendNanos);
            }
        }, proof.nodeGone());
    }
}
