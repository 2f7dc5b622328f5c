package dev.leader.zookeeper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import dev.leader.election.AbstractElection;
import dev.leader.election.ElectionState;
import dev.leader.election.LeaseDeadline;
import dev.leader.election.Leadership;
import dev.leader.election.RevokeReason;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;

/**
 * One candidate of the ephemeral-sequential recipe. All ZooKeeper calls of a candidate run
 * on its own lane, in order; watchers only queue a re-check there. A watcher compares the
 * event's path with the path it is currently about, so a stale watch does nothing.
 */
final class ZooKeeperElection extends AbstractElection {

    private final ZooKeeperSession session;

    private final Consumer<ZooKeeperElection> forget;

    private final String electionPath;

    private final OwnNodes ownNodes;

    private final LeaderNews news;

    private final CandidateLane lane;

    private final AtomicInteger predecessorNotifications = new AtomicInteger();

    private volatile @Nullable String ownPath;

    private volatile @Nullable String predecessorPath;

    /** The node that already served a term; a new term needs a new node (a larger czxid). */
    private @Nullable String grantedPath;

    private volatile SharedRenewal.@Nullable Leader renewal;

    /** Events of the watch on our own node, counted on the client's event thread. */
    private final AtomicInteger ownNodeEvents = new AtomicInteger();

    /** {@link #ownNodeEvents} when our node was last verified ours: a later event stops renewals. */
    private volatile int verifiedOwnNodeEvents = -1;

    /** Test hook: runs between reading the children and watching the predecessor. */
    volatile @Nullable Runnable beforePredecessorWatch;

    private final Watcher predecessorWatcher = event -> {
        if (event.getType() != Watcher.Event.EventType.None && event.getPath() != null
                && event.getPath().equals(predecessorPath)) {
            predecessorNotifications.incrementAndGet();
            trace("wake: predecessor's node changed");
            submit(this::check);
        }
    };

    private final Watcher ownWatcher = event -> {
        if (event.getType() != Watcher.Event.EventType.None && event.getPath() != null
                && event.getPath().equals(ownPath)) {
            // Counted here, on the event thread, before the reply to any later read: see SharedRenewal.
            ownNodeEvents.incrementAndGet();
            submit(this::check); // re-arms the watch, whatever the event was
        }
    };

    /**
     * @param session the backend's ZooKeeper session, which every election of it shares
     * @param forget told when this election has closed
     */
    ZooKeeperElection(String name, String candidateId, ZooKeeperSession session, Consumer<ZooKeeperElection> forget) {
        // Believe for at most 2/3 of the session timeout after the send time of the last
        // confirmed call: the client itself declares the connection lost at 2/3, and the
        // server cannot expire the session (and hand our term on) before the full timeout.
        super(name, candidateId, LeaseDeadline.of(session.settings().sessionTimeout(),
                session.settings().sessionTimeout().dividedBy(3)));
        this.session = session;
        this.forget = forget;
        this.electionPath = session.settings().electionPath(name);
        this.lane = new CandidateLane(session, log, logPrefix, this::isClosed, this::campaign);
        this.ownNodes = new OwnNodes(session, electionPath, candidateId.getBytes(StandardCharsets.UTF_8), this::isClosed,
                log, logPrefix);
        this.news = new LeaderNews(session, lane, electionPath, candidateId, this::follow, this::refreshLeader,
                this::check, log, logPrefix);
    }

    // ---- hooks ----

    @Override
    protected void onStart() {
        submit(this::campaign);
    }

    @Override
    protected void onYield(Leadership term) {
        submit(zk -> {
            stopRenewal();
            requeue(zk);
        });
    }

    /** Deletes our node on the candidate's lane, after any step in flight; see {@link #leave}. */
    @Override
    protected void onWithdraw(@Nullable Leadership held) {
        submit(this::campaign);
    }

    @Override
    protected void onRejoin() {
        submit(this::campaign);
    }

    @Override
    protected void onClose(@Nullable Leadership held) {
        String own = ownPath;
        ownPath = null;
        predecessorPath = null;
        news.stopFollowing();
        ZooKeeper zk = session.client();
        if (own != null) {
            session.release(zk, own); // at once, for a fast hand-off
        }
        // A create whose reply was lost made a node we never heard of; the session, shared with
        // other elections, would keep it, and every candidate would wait behind it.
        ownNodes.releaseAll(zk);
        stopRenewal();
        lane.shutdown();
        forget.accept(this);
    }

    @Override
    protected void onLeaseExpired(Leadership term) {
        log.warn("{} lease ran out without a confirmed contact with ZooKeeper", logPrefix);
        submit(this::campaign);
    }

    // ---- session events, from the backend ----

    void sessionConnected() {
        submit(this::campaign);
    }

    void sessionSuspended() {
        log.info("{} disconnected from ZooKeeper; a held term lasts until its lease deadline", logPrefix);
        disconnected();
    }

    void sessionExpired() {
        revokeCurrent(RevokeReason.CONNECTION_LOST, ElectionState.DISCONNECTED);
        disconnected();
        submit(zk -> {
            stopRenewal();
            ownPath = null;
            grantedPath = null;
            news.forgetPublished();
            predecessorPath = null;
            news.stopFollowing();
        });
    }

    int predecessorNotifications() {
        return predecessorNotifications.get();
    }

    @Nullable String ownPath() {
        return ownPath;
    }

    OwnNodes ownNodes() {
        return ownNodes;
    }

    // ---- the recipe, on the candidate's lane ----

    private void campaign(ZooKeeper zk) throws KeeperException, InterruptedException {
        if (state() == ElectionState.WITHDRAWN) {
            leave(zk); // again after every reconnect, until it got through
            return;
        }
        if (!isCampaigning() || !session.isConnected()) {
            return; // the backend's connect event campaigns
        }
        if (ownPath == null && !join(zk)) {
            return;
        }
        check(zk);
    }

    /** Finds this candidate's node (a create whose reply was lost) or creates it. */
    private boolean join(ZooKeeper zk) throws KeeperException, InterruptedException {
        String found = ownNodes.findOrCreate(zk);
        ownPath = found;
        if (isClosed()) {
            // close() ran while we created; it may not have seen the path.
            ownPath = null;
            session.release(zk, found);
            return false;
        }
        return true;
    }

    private void check(ZooKeeper zk) throws KeeperException, InterruptedException {
        while (!checkOnce(zk)) {
            log.debug("{} predecessor vanished before its watch was set; checking again", logPrefix);
        }
    }

    /** @return false when the predecessor vanished before the watch was set: look again */
    private boolean checkOnce(ZooKeeper zk) throws KeeperException, InterruptedException {
        String own = ownPath;
        if (own == null || !isCampaigning() || !session.isConnected()) {
            return true;
        }
        long sendNanos = System.nanoTime();
        int events = ownNodeEvents.get();
        // One round trip: a session's requests are answered in the order sent, so the watching
        // read of our node and the listing both see the world after the sync (see QuorumSync).
        CompletableFuture<Integer> synced = QuorumSync.send(zk, electionPath);
        CompletableFuture<@Nullable Stat> ownRead = NodeWatch.send(zk, own, ownWatcher);
        trace("check: sync and own node's read sent, listing");
        Stat election = new Stat();
        List<CandidateNode> nodes = ownNodes.withoutStrays(zk, CandidateNode.sorted(zk.getChildren(electionPath, false, election)), own);
        Duration timeout = session.settings().sessionTimeout();
        QuorumSync.await(synced, electionPath, timeout);
        Stat ownStat = NodeWatch.await(ownRead, timeout);
        trace("check: answered");
        int index = -1;
        for (int i = 0; i < nodes.size(); i++) {
            if (own.equals(electionPath + "/" + nodes.get(i).name())) {
                index = i;
            }
        }
        if (index < 0 || ownStat == null) {
            lostNode(zk, "own node " + own + " is gone");
        }
        else if (index == 0) {
            lead(zk, own, ownStat, events, sendNanos, election.getVersion());
        }
        else {
            return watchPredecessor(zk, nodes, index);
        }
        return true;
    }

    /**
     * @param stat our node, read with its watch set after the sync
     * @param events {@link #ownNodeEvents} before that read was sent
     * @param recordVersion the election node's data version the listing saw
     */
    private void lead(ZooKeeper zk, String own, Stat stat, int events, long sendNanos, int recordVersion)
            throws KeeperException, InterruptedException {
        predecessorPath = null;
        news.stopFollowing();
        if (own.equals(grantedPath) && currentTerm() == null) {
            requeue(zk);
            return;
        }
        // Verify before believing: first, and the node still belongs to this very session.
        if (stat.getEphemeralOwner() != zk.getSessionId()) {
            session.release(zk, own);
            lostNode(zk, "own node " + own + " belongs to session 0x" + Long.toHexString(stat.getEphemeralOwner()));
            return;
        }
        verifiedOwnNodeEvents = events;
        session.succeeded(System.nanoTime() - sendNanos);
        long confirmed = sendNanos - session.shortfallNanos(zk);
        Leadership term = currentTerm();
        if (term != null) {
            renewed(term, confirmed);
            news.publish(zk, own, recordVersion);
            return;
        }
        lane.succeeded();
        grantedPath = own;
        if (grant(stat.getCzxid(), confirmed)) {
            startRenewal(zk);
            news.publish(zk, own, recordVersion);
        }
        else if (currentTerm() == null && !isClosed()) {
            // The confirmation came too late to lead on: this node has not served a term yet.
            grantedPath = null;
            submit(this::check);
        }
    }

    private boolean watchPredecessor(ZooKeeper zk, List<CandidateNode> nodes, int index)
            throws KeeperException, InterruptedException {
        if (currentTerm() != null) {
            revokeCurrent(RevokeReason.PREEMPTED, ElectionState.FOLLOWER);
            stopRenewal();
        }
        String predecessor = electionPath + "/" + nodes.get(index - 1).name();
        predecessorPath = predecessor;
        Runnable hook = beforePredecessorWatch;
        if (hook != null) {
            hook.run();
        }
        if (NodeWatch.set(zk, predecessor, predecessorWatcher) == null) {
            return false;
        }
        // Our own node is watched too (set in checkOnce): a follower's node may be deleted by
        // someone else (an operator, a stale release), and it would wait behind a node it no longer has.
        lane.succeeded();
        news.watchLeader(zk, nodes);
        return true;
    }

    /** The leader record changed: a new leader was granted. */
    private void refreshLeader(ZooKeeper zk) throws KeeperException, InterruptedException {
        if (state() == ElectionState.WITHDRAWN) {
            news.followWithdrawn(zk);
            return;
        }
        String own = ownPath;
        if (currentTerm() != null || own == null || !news.isFollowing() || !session.isConnected()) {
            return;
        }
        if (!news.refresh(zk, own)) {
            check(zk); // not a record: list the candidates, as on a new campaign
        }
    }

    private void lostNode(ZooKeeper zk, String why) throws KeeperException, InterruptedException {
        log.info("{} {}; joining again", logPrefix, why);
        ownPath = null;
        if (revokeCurrent(RevokeReason.PREEMPTED, ElectionState.FOLLOWER)) {
            stopRenewal();
        }
        campaign(zk);
    }

    /**
     * Out of the line while withdrawn: deletes our node (waking only our successor) and any node
     * of ours from a create whose reply was lost, which would otherwise hold the line for the
     * others; then watches the leader record to keep {@code leaderId()} current. Creates nothing.
     */
    private void leave(ZooKeeper zk) throws KeeperException, InterruptedException {
        stopRenewal();
        String own = ownPath;
        ownPath = null;
        grantedPath = null;
        news.forgetPublished();
        predecessorPath = null;
        if (own != null) {
            session.release(zk, own);
        }
        if (!session.isConnected()) {
            news.stopFollowing();
            return; // the reconnect's campaign leaves again
        }
        ownNodes.releaseEvery(zk);
        news.followWithdrawn(zk);
    }

    /** Deletes the node (waking only our successor) and joins again at the back. */
    private void requeue(ZooKeeper zk) throws KeeperException, InterruptedException {
        String own = ownPath;
        ownPath = null;
        grantedPath = null;
        if (own != null) {
            session.release(zk, own);
        }
        campaign(zk);
    }

    // ---- renewal: what confirms contact while leading ----

    private void startRenewal(ZooKeeper zk) {
        stopRenewal();
        Leadership term = currentTerm();
        if (term == null) {
            return;
        }
        long sessionId = zk.getSessionId();
        SharedRenewal.Leader started = new SharedRenewal.Leader(() -> currentTerm() == term ? ownPath : null,
                (confirming, sendNanos) -> {
                    if (confirming.getSessionId() == sessionId && ownNodeEvents.get() == verifiedOwnNodeEvents) {
                        renewed(term, sendNanos - session.shortfallNanos(confirming));
                    }
                }, () -> submit(this::check));
        renewal = started;
        session.renewal().add(started);
    }

    private void stopRenewal() {
        SharedRenewal.Leader current = renewal;
        renewal = null;
        if (current != null) {
            session.renewal().remove(current);
        }
    }

    private void submit(CandidateLane.Step step) {
        lane.submit(step);
    }
}
