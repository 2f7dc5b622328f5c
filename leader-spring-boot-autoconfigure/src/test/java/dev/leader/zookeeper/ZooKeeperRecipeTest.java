package dev.leader.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import dev.leader.election.Election;
import dev.leader.election.ElectionState;
import dev.leader.election.EventLog;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The races of the recipe, provoked on a real server. */
class ZooKeeperRecipeTest {

    private static final Duration SESSION = Duration.ofSeconds(1);

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
        long session = viaProxy.client().getSessionId();
        proxy.dropAfterNextCandidateCreate();
        ZooKeeperElection a = candidate(viaProxy, "a");
        a.start();
        await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
        assertThat(proxy.createsDropped()).as("the create reply was really lost").isEqualTo(1);
        assertThat(viaProxy.client().getSessionId()).as("same session: the lost create's node still exists").isEqualTo(session);
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
    void predecessorDeletedBeforeItsWatchIsSetIsNoticed() throws Exception {
        ZooKeeperElection a = candidate(backend(server.connectString()), "a");
        a.start();
        await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
        ZooKeeperElectionBackend backendOfB = backend(server.connectString());
        ZooKeeperElection b = candidate(backendOfB, "b");
        b.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> b.leaderId().isPresent());
        ZooKeeperElection c = candidate(backend(server.connectString()), "c");
        AtomicInteger hookRuns = new AtomicInteger();
        c.beforePredecessorWatch = () -> {
            if (hookRuns.getAndIncrement() == 0) {
                // Closing the session deletes b's node before this returns: the predecessor c
                // just read is gone before c can watch it.
                backendOfB.close();
            }
        };
        c.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> c.leaderId().filter("a"::equals).isPresent());
        assertThat(hookRuns.get()).as("c looked for a predecessor again").isGreaterThanOrEqualTo(2);
        assertThat(children()).hasSize(2);
        a.close();
        await().atMost(Duration.ofSeconds(2)).until(c::isLeader);
    }

    @Test
    void sessionExpiryRevokesBeforeAnotherIsGrantedThenCampaignsAgain() throws Exception {
        TcpProxy proxy = new TcpProxy(server.port());
        closeables.add(proxy);
        ZooKeeperElection a = candidate(backend(proxy.connectString()), "a");
        a.start();
        await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
        ZooKeeperElection b = candidate(backend(server.connectString()), "b");
        b.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> b.leaderId().filter("a"::equals).isPresent());

        proxy.partition();
        await().atMost(SESSION.multipliedBy(4)).until(b::isLeader);
        assertThat(a.isLeader()).isFalse();
        EventLog.Entry revoked = events.entries().stream()
                .filter(e -> e.candidateId().equals("a") && e.kind() == EventLog.Kind.REVOKED).findFirst().orElseThrow();
        EventLog.Entry granted = events.entries().stream()
                .filter(e -> e.candidateId().equals("b") && e.kind() == EventLog.Kind.GRANTED).findFirst().orElseThrow();
        assertThat(revoked.nanos()).as("a stopped believing before b was granted").isLessThan(granted.nanos());

        proxy.heal();
        // a learns its session expired, opens a new one and queues behind b.
        await().atMost(SESSION.multipliedBy(10)).until(() -> a.state() == ElectionState.FOLLOWER
                && a.leaderId().filter("b"::equals).isPresent());
        b.close();
        await().atMost(Duration.ofSeconds(2)).until(a::isLeader);
        assertThat(a.leadership().orElseThrow().fencingToken()).isGreaterThan(granted.fencingToken());
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
}
