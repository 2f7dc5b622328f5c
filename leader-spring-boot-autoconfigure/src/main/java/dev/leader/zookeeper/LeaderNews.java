package dev.leader.zookeeper;

import java.util.List;
import java.util.function.Consumer;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * One candidate's side of the {@link LeaderRecord}: once granted it publishes the record; while
 * following, or withdrawn, it watches the record and names the leader the record names. A watch
 * that fires once the candidate no longer follows the record does nothing.
 *
 * <p>Threads: every method runs on the candidate's lane, but {@link #stopFollowing}, which
 * {@code close()} also calls from its caller's thread; the watcher runs on the ZooKeeper event
 * thread and only queues {@code onChange} on the candidate's lane. {@code following} is
 * volatile for those two. Logs to the election's logger.
 */
final class LeaderNews {

    private final ZooKeeperSession session;

    private final CandidateLane lane;

    private final String electionPath;

    private final String candidateId;

    private final Consumer<@Nullable String> follow;

    private final CandidateLane.Step recheck;

    private final Logger log;

    private final String logPrefix;

    private final Watcher watcher;

    /** A follower that watches the election node's {@link LeaderRecord}; false while leading. */
    private volatile boolean following;

    /** The own node the leader record names, once written. */
    private @Nullable String publishedPath;

    /**
     * @param follow names the leader (null: none), as {@code AbstractElection.follow}
     * @param onChange queued when the record changed while followed
     * @param recheck queued when our record could not be written: a record written since the
     *        listing names a later leader
     */
    LeaderNews(ZooKeeperSession session, CandidateLane lane, String electionPath, String candidateId,
            Consumer<@Nullable String> follow, CandidateLane.Step onChange, CandidateLane.Step recheck, Logger log,
            String logPrefix) {
        this.session = session;
        this.lane = lane;
        this.electionPath = electionPath;
        this.candidateId = candidateId;
        this.follow = follow;
        this.recheck = recheck;
        this.log = log;
        this.logPrefix = logPrefix;
        this.watcher = event -> {
            if (event.getType() != Watcher.Event.EventType.None && electionPath.equals(event.getPath()) && following) {
                lane.submit(onChange);
            }
        };
    }

    boolean isFollowing() {
        return following;
    }

    void stopFollowing() {
        following = false;
    }

    /** The record no longer names a node of ours that we know of: the next grant publishes again. */
    void forgetPublished() {
        publishedPath = null;
    }

    /**
     * Tells the followers, who watch the election node's data rather than the leader's node
     * (see {@link LeaderRecord}). Written after the grant, so it never names a leader before that
     * leader believes; {@code recordVersion} keeps it from overwriting the record of a leader
     * granted after our listing. A failed write costs followers news, never our term.
     */
    void publish(ZooKeeper zk, String own, int recordVersion) throws KeeperException, InterruptedException {
        if (own.equals(publishedPath)) {
            return;
        }
        LeaderRecord record = new LeaderRecord(own.substring(electionPath.length() + 1), candidateId);
        try {
            if (record.write(zk, electionPath, recordVersion)) {
                publishedPath = own;
            }
            else {
                log.debug("{} the leader record changed since the listing; checking again", logPrefix);
                lane.submit(recheck);
            }
        }
        catch (KeeperException.NoAuthException ex) {
            publishedPath = own; // no use retrying a refusal on every check; other failures retry the check
            session.recordError(String.valueOf(ex.getMessage()));
            log.warn("{} cannot write the leader record to {}; followers will not learn of this leader: {}",
                    logPrefix, electionPath, ex.toString());
        }
    }

    /**
     * Followers learn who leads from the leader record, and watch it to stay current: a change
     * of leader then costs each follower one short read.
     */
    void watchLeader(ZooKeeper zk, List<CandidateNode> nodes) throws KeeperException, InterruptedException {
        following = true;
        follow.accept(LeaderRecord.leaderOf(zk, electionPath, nodes, watcher));
    }

    /**
     * Reads the changed record, watching it again, and names its leader unless it names
     * {@code own}.
     *
     * @return false when the election node holds no record
     */
    boolean refresh(ZooKeeper zk, String own) throws KeeperException, InterruptedException {
        LeaderRecord record = LeaderRecord.watch(zk, electionPath, watcher);
        if (record == null) {
            return false;
        }
        if (!own.equals(electionPath + "/" + record.node())) {
            follow.accept(record.candidateId());
        }
        return true;
    }

    /** A withdrawn candidate names the leader the record names, while that leader's node exists. */
    void followWithdrawn(ZooKeeper zk) throws KeeperException, InterruptedException {
        following = true;
        LeaderRecord record;
        try {
            record = LeaderRecord.watch(zk, electionPath, watcher);
        }
        catch (KeeperException.NoNodeException ex) {
            follow.accept(null);
            return;
        }
        if (record == null || record.candidateId().equals(candidateId)
                || zk.exists(electionPath + "/" + record.node(), false) == null) {
            follow.accept(null);
            return;
        }
        follow.accept(record.candidateId());
    }
}
