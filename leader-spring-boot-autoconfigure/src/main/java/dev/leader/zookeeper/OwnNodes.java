package dev.leader.zookeeper;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The nodes of one candidate in its election: each name carries the candidate's GUID
 * ({@link CandidateNode}), so that a node from a create whose reply was lost is found again, not
 * left holding the line for the others, and every node of ours but the one we stand in line with
 * is released. Which node that is stays the election's ({@code ownPath}).
 *
 * <p>Threads: {@link #findOrCreate} and {@link #releaseEvery} run on the candidate's lane;
 * {@link #releaseAll} runs on the thread that closes the election. Logs to the election's logger.
 */
final class OwnNodes {

    private final ZooKeeperSession session;

    private final String electionPath;

    private final String guid = CandidateNode.newGuid();

    private final byte[] data;

    private final BooleanSupplier closed;

    private final Logger log;

    private final String logPrefix;

    /** Test hook: runs in {@link #findOrCreate} between listing the election and creating a node. */
    volatile @Nullable Runnable afterListing;

    /**
     * @param data what each node holds: the candidate id
     * @param closed whether the election has closed
     */
    OwnNodes(ZooKeeperSession session, String electionPath, byte[] data, BooleanSupplier closed, Logger log,
            String logPrefix) {
        this.session = session;
        this.electionPath = electionPath;
        this.data = data;
        this.closed = closed;
        this.log = log;
        this.logPrefix = logPrefix;
    }

    /** Finds this candidate's node (a create whose reply was lost) or creates it; releases any other of ours. */
    String findOrCreate(ZooKeeper zk) throws KeeperException, InterruptedException {
        session.ensureElectionNode(zk, electionPath);
        String found = null;
        for (CandidateNode node : CandidateNode.sorted(zk.getChildren(electionPath, false))) {
            String path = electionPath + "/" + node.name();
            if (!node.guid().equals(guid) || session.isReleasing(path)) {
                continue;
            }
            Stat stat = zk.exists(path, false);
            if (found == null && stat != null && stat.getEphemeralOwner() == zk.getSessionId()) {
                log.info("{} found own node {} from a create whose reply was lost", logPrefix, path);
                found = path;
            }
            else if (stat != null) {
                session.release(zk, path);
            }
        }
        Runnable hook = afterListing;
        if (hook != null) {
            hook.run();
        }
        if (found == null) {
            found = create(zk);
        }
        return found;
    }

    private String create(ZooKeeper zk) throws KeeperException, InterruptedException {
        try {
            String created = zk.create(electionPath + "/" + CandidateNode.prefix(guid), data, session.acl(),
                    CreateMode.EPHEMERAL_SEQUENTIAL);
            log.debug("{} created {}", logPrefix, created);
            return created;
        }
        catch (KeeperException.ConnectionLossException ex) {
            if (closed.getAsBoolean()) {
                // close() may have looked for our nodes before this create reached the server:
                // look again, after it.
                session.releaseAll(zk, electionPath, guid);
            }
            throw ex;
        }
    }

    /**
     * The listing without our nodes other than {@code own}, which it releases. A create whose
     * reply was lost can be committed after we listed the election and created another node,
     * even ahead of it (its request reached the ensemble first); our own session keeps it alive,
     * and we and everyone else would wait behind it.
     */
    List<CandidateNode> withoutStrays(ZooKeeper zk, List<CandidateNode> nodes, String own) {
        List<CandidateNode> kept = new ArrayList<>(nodes.size());
        for (CandidateNode node : nodes) {
            String path = electionPath + "/" + node.name();
            if (!node.guid().equals(guid) || path.equals(own)) {
                kept.add(node);
            }
            else if (!session.isReleasing(path)) {
                log.info("{} releasing {}, a node of ours from a create whose reply was lost", logPrefix, path);
                session.release(zk, path);
            }
        }
        return kept;
    }

    /** Releases every node of ours the listing shows, but those already being released. */
    void releaseEvery(ZooKeeper zk) throws KeeperException, InterruptedException {
        try {
            for (CandidateNode node : CandidateNode.sorted(zk.getChildren(electionPath, false))) {
                String path = electionPath + "/" + node.name();
                if (node.guid().equals(guid) && !session.isReleasing(path)) {
                    session.release(zk, path);
                }
            }
        }
        catch (KeeperException.NoNodeException ex) {
            // No election node: no node of ours either.
        }
    }

    /**
     * Has the session release every node of ours, those it hears of later included: a create whose
     * reply was lost made a node we never heard of.
     */
    void releaseAll(ZooKeeper zk) {
        session.releaseAll(zk, electionPath, guid);
    }

    String guid() {
        return guid;
    }
}
