package dev.leader.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.ElectionState;
import dev.leader.election.EventLog;
import dev.leader.election.Leadership;
import dev.leader.testsupport.ZooKeeperTestServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The races of the recipe, provoked on a real server. */
class ZooKeeperRecipeTest {

    /**
     * Sessions that outlive a busy machine's pauses: with 1 s, a starved test JVM let the
     * sessions of a and b expire, and c led in a test about something else.
     */
    private static final Duration SESSION = Duration.ofSeconds(10);

    /** For the test of what a session expiry does. */
    private static final Duration EXPIRING_SESSION = Duration.ofSeconds(1);

    private static ZooKeeperTestServer server;

    private static ZooKeeper admin;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    private final EventLog events = new EventLog();

    private String name;

    @BeforeAll
    static void startServer() throws Exception {
        server = new ZooKeeperTestServer();
        CountDownLatch connected = new CountDownLatch(1);
        admin = new ZooKeeper(server.connectString(), 10_000, event -> {
            if (event.getState() == org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        assertThat(connected.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @AfterAll
    static void stopServer() throws Exception {
        admin.close();
        server.close();
    }

    @BeforeEach
    void name() {
        name = "recipe-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private ZooKeeperElectionBackend backend(String connectString) {
        return backend(connectString, SESSION);
    }

    private ZooKeeperElectionBackend backend(String connectString, Duration session) {
        ZooKeeperElectionBackend backend = new ZooKeeperElectionBackend(
                ZooKeeperBackendSettings.builder(connectString).sessionTimeout(session).build());
        closeables.add(backend);
        return backend;
    }

    private ZooKeeperElection candidate(ZooKeeperElectionBackend backend, String id) {
        ZooKeeperElection election = (ZooKeeperElection) backend.election(name, id);
        election.addListener(events.listenerFor(id));
        closeables.add(election);
        return election;
    }

    private Optional<EventLog.Entry> first(String candidateId, EventLog.Kind kind) {
        return events.entries().stream().filter(e -> e.candidateId().equals(candidateId) && e.kind() == kind).findFirst();
    }

    private List<String> children() throws Exception {
        return admin.getChildren("/leader/" + name, false);
    }

    @Test
    void lostCreateResponseLeavesNoOrphanAndOneLeader() throws Exception {
        TcpProxy proxy = new TcpProxy(server.port());
        closeables.add(proxy);
        // A session long enough to outlive the client's reconnect pause (up to 1 s), so the
        // node of the lost create survives and must be found, not orphaned.
        ZooKeeperElectionBackend viaProxy = backend(proxy.connectString(), Duration.ofSeconds(6));
        await().atMost(Duration.ofSeconds(5)).until(() -> viaProxy.status().reachable());
        long session = viaProxy.session().client().getSessionId();
        proxy.dropAfterNextCandidateCreate();
        ZooKeeperElection a = candidate(viaProxy, "a");
        a.start();
        await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
        assertThat(proxy.createsDropped()).as("the create reply was really lost").isEqualTo(1);
        assertThat(viaProxy.session().client().getSessionId()).as("same session: the lost create's node still exists").isEqualTo(session);
        assertThat(children()).as("only the node the lost create made").hasSize(1);
        assertThat(a.ownPath()).isEqualTo("/leader/" + name + "/" + children().get(0));
        ZooKeeperElection b = candidate(backend(server.connectString()), "b");
        b.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> b.leaderId().filter("a"::equals).isPresent());
        assertThat(children()).hasSize(2);
        assertThat(a.isLeader()).isTrue();
        assertThat(b.isLeader()).isFalse();
        a.close();
        await().atMost(Duration.ofSeconds(5)).until(b::isLeader);
        assertThat(children()).hasSize(1);
    }

    @Test
    void predecessorDeletedBeforeItsWatchIsSetIsNoticedAndLeavesNoWatchBehind() throws Exception {
        ZooKeeperElection a = candidate(backend(server.connectString()), "a");
        a.start();
        await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
        ZooKeeperElectionBackend backendOfB = backend(server.connectString());
        ZooKeeperElection b = candidate(backendOfB, "b");
        b.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> b.leaderId().isPresent());
        String nodeOfB = b.ownPath();
        ZooKeeperElectionBackend backendOfC = backend(server.connectString());
        await().atMost(Duration.ofSeconds(10)).until(() -> backendOfC.status().reachable());
        ZooKeeperElection c = candidate(backendOfC, "c");
        AtomicInteger hookRuns = new AtomicInteger();
        c.beforePredecessorWatch = () -> {
            if (hookRuns.getAndIncrement() == 0) {
                // Closing the session deletes b's node before this returns: the predecessor c
                // just read is gone before c can watch it.
                backendOfB.close();
            }
        };
        c.start();
        // Closing b's session waits for the server and for b's client threads (up to a second):
        // the bound leaves room for a busy machine.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(c.leaderId())
            .as(() -> "leader seen by c (state " + c.state() + ", hook runs " + hookRuns + ")")
            .contains("a"));
        assertThat(hookRuns.get()).as("c looked for a predecessor again").isGreaterThanOrEqualTo(2);
        assertThat(children()).hasSize(2);
        // A watch set on the vanished node would wait for a create that never comes (a sequential
        // name is never made again) and stay on the server for as long as c's session lives.
        assertThat(server.watchedPaths()).as("paths watched on the server").doesNotContain(nodeOfB);
        a.close();
        await().atMost(Duration.ofSeconds(2)).until(c::isLeader);
    }

    /**
     * Seen in a soak: a create whose reply was lost in a quorum loss was committed only after the
     * candidate, reconnected on the same session, had listed the election and created another
     * node. The lost create's node came first; the candidate waited behind it, its own session
     * kept it alive, and nobody led until the application stopped.
     */
    @Test
    void aNodeOfALostCreateThatAppearsAheadOfOursIsReleasedNotFollowed() throws Exception {
        ZooKeeperElectionBackend backend = backend(server.connectString());
        await().atMost(Duration.ofSeconds(10)).until(() -> backend.status().reachable());
        ZooKeeperElection a = candidate(backend, "a");
        AtomicInteger hookRuns = new AtomicInteger();
        a.ownNodes().afterListing = () -> {
            if (hookRuns.getAndIncrement() == 0) {
                // The lost create's node, committed now: in a's session, with a's GUID, ahead of
                // the node a is about to create.
                try {
                    backend.session().client().create("/leader/" + name + "/" + CandidateNode.prefix(a.ownNodes().guid()),
                            "a".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL);
                }
                catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            }
        };
        a.start();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<String> nodes = children();
            assertThat(a.isLeader()).as(() -> "a leads (state " + a.state() + ", nodes " + nodes + ")").isTrue();
        });
        assertThat(hookRuns.get()).isEqualTo(1);
        assertThat(children()).as("the lost create's node was released").hasSize(1);
        assertThat(a.ownPath()).isEqualTo("/leader/" + name + "/" + children().get(0));
    }

    @Test
    void closeWhileTheCreateReplyIsLostLeavesNoOrphanBehind() throws Exception {
        TcpProxy proxy = new TcpProxy(server.port());
        closeables.add(proxy);
        // The session outlives the outage: the node of the lost create lives on with it, as it
        // would in an application whose backend serves other elections.
        ZooKeeperElectionBackend viaProxy = backend(proxy.connectString(), Duration.ofSeconds(6));
        await().atMost(Duration.ofSeconds(5)).until(() -> viaProxy.status().reachable());
        long session = viaProxy.session().client().getSessionId();
        proxy.dropAfterNextCandidateCreateThenRefuse();
        ZooKeeperElection a = candidate(viaProxy, "a");
        a.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.createsDropped() == 1);
        a.close(); // a never heard which node its create made
        assertThat(children()).as("the node of the lost create").hasSize(1);

        proxy.heal();
        await().atMost(Duration.ofSeconds(5)).until(() -> viaProxy.status().reachable());
        assertThat(viaProxy.session().client().getSessionId()).as("same session").isEqualTo(session);
        ZooKeeperElection b = candidate(backend(server.connectString()), "b");
        b.start();
        await().atMost(Duration.ofSeconds(10)).until(b::isLeader);
        assertThat(children()).as("only b's node").hasSize(1);
    }

    @Test
    void aConfirmationThatComesTooLateIsNotLedOnAndAFreshOneIs() throws Exception {
        TcpProxy proxy = new TcpProxy(server.port());
        closeables.add(proxy);
        Duration session = Duration.ofSeconds(3);
        Duration belief = session.minus(session.dividedBy(3));
        ZooKeeperElection a = candidate(backend(server.connectString()), "a");
        a.start();
        await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
        ZooKeeperElection b = candidate(backend(proxy.connectString(), session), "b");
        List<Duration> leaseAtGrant = new CopyOnWriteArrayList<>();
        b.addListener(new ElectionListener() {
            @Override
            public void granted(Leadership leadership) {
                leaseAtGrant.add(b.leaseRemaining().orElseThrow());
            }
        });
        b.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> b.leaderId().filter("a"::equals).isPresent());

        // b's sync before leading is answered after more than half its belief, well within
        // the client's read timeout (2/3 of the session): the proof is stale, the link alive.
        proxy.delayNextSyncReply(belief.dividedBy(2).plusMillis(400));
        int syncsBefore = proxy.syncs();
        a.close();
        await().atMost(Duration.ofSeconds(10)).until(b::isLeader);
        assertThat(proxy.syncsDelayed()).as("b's first sync was answered late").isEqualTo(1);
        assertThat(proxy.syncs() - syncsBefore).as("b confirmed again before leading").isGreaterThanOrEqualTo(2);
        await().atMost(Duration.ofSeconds(2)).until(() -> !leaseAtGrant.isEmpty());
        assertThat(leaseAtGrant.get(0)).as("lease left when b was granted").isGreaterThan(belief.dividedBy(2));
    }

    @Test
    void sessionExpiryRevokesBeforeAnotherIsGrantedThenCampaignsAgain() throws Exception {
        TcpProxy proxy = new TcpProxy(server.port());
        closeables.add(proxy);
        ZooKeeperElection a = candidate(backend(proxy.connectString(), EXPIRING_SESSION), "a");
        a.start();
        await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
        ZooKeeperElection b = candidate(backend(server.connectString(), EXPIRING_SESSION), "b");
        b.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> b.leaderId().filter("a"::equals).isPresent());

        proxy.partition();
        await().atMost(EXPIRING_SESSION.multipliedBy(4)).until(b::isLeader);
        assertThat(a.isLeader()).isFalse();
        // isLeader() turns true at the grant; listeners hear of it a moment later, on another thread.
        EventLog.Entry revoked = await().atMost(Duration.ofSeconds(2)).until(() -> first("a", EventLog.Kind.REVOKED), Optional::isPresent)
                .orElseThrow();
        EventLog.Entry granted = await().atMost(Duration.ofSeconds(2)).until(() -> first("b", EventLog.Kind.GRANTED), Optional::isPresent)
                .orElseThrow();
        assertThat(revoked.nanos()).as("a stopped believing before b was granted").isLessThan(granted.nanos());

        proxy.heal();
        // a learns its session expired, opens a new one and queues behind b.
        await().atMost(EXPIRING_SESSION.multipliedBy(10)).until(() -> a.state() == ElectionState.FOLLOWER
                && a.leaderId().filter("b"::equals).isPresent());
        b.close();
        await().atMost(Duration.ofSeconds(2)).until(a::isLeader);
        assertThat(a.leadership().orElseThrow().fencingToken()).isGreaterThan(granted.fencingToken());
    }

    @Test
    void aLeaderWhoseNodeIsDeletedByAnotherStopsBelievingWhileTheOtherLeadersOfItsSessionRenew() throws Exception {
        ZooKeeperElectionBackend backend = backend(server.connectString(), Duration.ofSeconds(3));
        ZooKeeperElection a = candidate(backend, "a");
        ZooKeeperElection other = (ZooKeeperElection) backend.election(name + "-other", "a");
        closeables.add(other);
        a.start();
        other.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> a.isLeader() && other.isLeader());
        long tokenOfA = a.leadership().orElseThrow().fencingToken();
        long tokenOfOther = other.leadership().orElseThrow().fencingToken();

        admin.delete(a.ownPath(), -1); // an operator, or a tool gone wrong
        // a's term ends (a new node, a new term follows: a is the only candidate).
        await().atMost(Duration.ofSeconds(5)).until(() -> first("a", EventLog.Kind.REVOKED).isPresent());
        await().atMost(Duration.ofSeconds(5)).until(() -> a.leadership().filter(t -> t.fencingToken() > tokenOfA).isPresent());
        // The other leader's term goes on, renewed by the session's confirmations: its lease
        // left grows back three times, as only a confirmation can make it.
        AtomicLong lastLeft = new AtomicLong(Long.MAX_VALUE);
        AtomicInteger renewals = new AtomicInteger();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            long left = other.leaseRemaining().orElseThrow().toNanos();
            if (left > lastLeft.getAndSet(left)) {
                renewals.incrementAndGet();
            }
            return renewals.get() >= 3;
        });
        assertThat(other.leadership().orElseThrow().fencingToken()).as("the other leader's term").isEqualTo(tokenOfOther);
        assertThat(a.isLeader()).isTrue();
    }

    @Test
    void onlyTheSuccessorIsNotifiedWhenTheLeaderCloses() {
        List<ZooKeeperElection> candidates = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            // A session each, as separate applications: a backend opens one election per name.
            ZooKeeperElection candidate = candidate(backend(server.connectString()), "c" + i);
            candidates.add(candidate);
            candidate.start();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> candidates.stream().filter(Election::isLeader).count() == 1);
        ZooKeeperElection leader = candidates.stream().filter(Election::isLeader).findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> candidates.stream()
                .allMatch(c -> c.leaderId().filter(leader.candidateId()::equals).isPresent()));
        java.util.Map<ZooKeeperElection, Integer> before = new java.util.HashMap<>();
        candidates.forEach(c -> before.put(c, c.predecessorNotifications()));

        leader.close();
        candidates.remove(leader);
        await().atMost(Duration.ofSeconds(5)).until(() -> candidates.stream().filter(Election::isLeader).count() == 1);
        ZooKeeperElection successor = candidates.stream().filter(Election::isLeader).findFirst().orElseThrow();
        // Once every follower names the successor, every notification of the delete has been delivered.
        await().atMost(Duration.ofSeconds(5)).until(() -> candidates.stream()
                .allMatch(c -> c.leaderId().filter(successor.candidateId()::equals).isPresent()));
        List<ZooKeeperElection> notified = candidates.stream()
                .filter(c -> c.predecessorNotifications() > before.get(c)).toList();
        assertThat(notified).as("candidates woken by the leader's delete").containsExactly(successor);
        assertThat(successor.predecessorNotifications() - before.get(successor)).isEqualTo(1);
    }

    @Test
    void followersWhoseRecordIsOverwrittenByAnotherToolStillLearnTheNextLeader() throws Exception {
        ZooKeeperElection a = candidate(backend(server.connectString()), "a");
        a.start();
        await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
        ZooKeeperElection b = candidate(backend(server.connectString()), "b");
        b.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> b.leaderId().filter("a"::equals).isPresent());
        ZooKeeperElection c = candidate(backend(server.connectString()), "c");
        c.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> c.leaderId().filter("a"::equals).isPresent());

        // Not a leader record: the followers, woken by the change, list the candidates again.
        admin.setData("/leader/" + name, "written by another tool".getBytes(StandardCharsets.UTF_8), -1);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.watchers("/leader/" + name) == 2);
        a.close();

        await().atMost(Duration.ofSeconds(5)).until(b::isLeader);
        await().atMost(Duration.ofSeconds(5)).until(() -> c.leaderId().filter("b"::equals).isPresent());
        assertThat(LeaderRecord.parse(admin.getData("/leader/" + name, false, null))).extracting(LeaderRecord::candidateId)
                .isEqualTo("b");
    }

    @Test
    void aFollowerThatJoinsWhileTheRecordNamesAGoneNodeFollowsTheFirstNode() throws Exception {
        ZooKeeperElection a = candidate(backend(server.connectString()), "a");
        a.start();
        await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
        // As left by a leader that is gone, while the present one (of a version that writes no record) leads.
        admin.setData("/leader/" + name, new LeaderRecord(CandidateNode.prefix(CandidateNode.newGuid()) + "0000000000", "gone")
                .encode(), -1);

        ZooKeeperElection b = candidate(backend(server.connectString()), "b");
        b.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> b.leaderId().filter("a"::equals).isPresent());
        a.close();
        await().atMost(Duration.ofSeconds(5)).until(b::isLeader);
    }

    @Test
    void aLeaderWhoMayNotWriteTheRecordStillLeadsAndItsFollowerNamesIt() throws Exception {
        if (admin.exists("/leader", false) == null) {
            admin.create("/leader", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        // Candidates may list, create and delete here, not set the data.
        admin.create("/leader/" + name, new byte[0],
                new ArrayList<>(List.of(new ACL(ZooDefs.Perms.READ | ZooDefs.Perms.CREATE | ZooDefs.Perms.DELETE, ZooDefs.Ids.ANYONE_ID_UNSAFE))),
                CreateMode.PERSISTENT);
        ZooKeeperElectionBackend backendOfA = backend(server.connectString());
        ZooKeeperElection a = candidate(backendOfA, "a");
        a.start();
        await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
        await().atMost(Duration.ofSeconds(5)).until(() -> String.valueOf(backendOfA.status().lastError()).contains("NoAuth"));

        ZooKeeperElection b = candidate(backend(server.connectString()), "b");
        b.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> b.leaderId().filter("a"::equals).isPresent());
        assertThat(a.isLeader()).isTrue();
        a.close();
        await().atMost(Duration.ofSeconds(5)).until(b::isLeader);
    }
}
