package dev.leader.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import dev.leader.election.BackendStatus;
import dev.leader.election.Election;
import dev.leader.testsupport.ZooKeeperTestServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Connection settings (chroot, root, digest auth) and the server going away, on a real server. */
class ZooKeeperConnectionTest {

    private static final Duration SESSION = Duration.ofSeconds(1);

    private final List<AutoCloseable> closeables = new ArrayList<>();

    private final String name = "conn-" + UUID.randomUUID().toString().substring(0, 8);

    private ZooKeeperTestServer server;

    private ZooKeeper admin;

    @BeforeEach
    void startServer() throws Exception {
        server = new ZooKeeperTestServer();
        CountDownLatch connected = new CountDownLatch(1);
        admin = new ZooKeeper(server.connectString(), 30_000, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        assertThat(connected.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        admin.close();
        server.close();
    }

    private Election candidate(ZooKeeperBackendSettings settings, String id) {
        ZooKeeperElectionBackend backend = new ZooKeeperElectionBackend(settings);
        closeables.add(backend);
        Election election = backend.election(name, id);
        election.start();
        return election;
    }

    @Test
    void nodesLiveUnderTheChrootAndRootAndCarryTheCandidateId() throws Exception {
        admin.create("/apps", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        Election a = candidate(ZooKeeperBackendSettings.builder(server.connectString() + "/apps").root("/jobs/leader")
                .sessionTimeout(SESSION).build(), "a");
        await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
        List<String> children = admin.getChildren("/apps/jobs/leader/" + name, false);
        assertThat(children).singleElement().asString().startsWith("_c_").matches(".*-n_\\d{10}");
        byte[] data = admin.getData("/apps/jobs/leader/" + name + "/" + children.get(0), false, null);
        assertThat(new String(data, StandardCharsets.UTF_8)).isEqualTo("a");
    }

    @Test
    void aMissingChrootIsReportedInTheStatus() {
        ZooKeeperElectionBackend backend = new ZooKeeperElectionBackend(ZooKeeperBackendSettings
                .builder(server.connectString() + "/missing").sessionTimeout(SESSION).build());
        closeables.add(backend);
        Election a = backend.election(name, "a");
        a.start();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(backend.status().lastError())
                .contains("chroot /missing").contains("leader.zookeeper.connect-string"));
        assertThat(a.isLeader()).isFalse();
    }

    @Test
    void digestAuthProtectsTheNodesFromOtherIdentities() throws Exception {
        ZooKeeperBackendSettings settings = ZooKeeperBackendSettings.builder(server.connectString())
                .sessionTimeout(SESSION).digestAuth("alice:secret").build();
        Election a = candidate(settings, "a");
        Election b = candidate(settings, "b");
        await().atMost(Duration.ofSeconds(5)).until(() -> a.isLeader() != b.isLeader()
                && a.leaderId().isPresent() && a.leaderId().equals(b.leaderId()));
        String path = "/leader/" + name;
        assertThatExceptionOfType(KeeperException.NoAuthException.class).isThrownBy(() -> admin.getChildren(path, false));
        Election leader = a.isLeader() ? a : b;
        Election follower = leader == a ? b : a;
        leader.close();
        await().atMost(Duration.ofSeconds(2)).until(follower::isLeader);
    }

    @Test
    void serverDownEndsBeliefAtTheDeadlineAndItsReturnElectsExactlyOne() throws Exception {
        ZooKeeperBackendSettings settings = ZooKeeperBackendSettings.builder(server.connectString()).sessionTimeout(SESSION).build();
        List<Election> candidates = List.of(candidate(settings, "a"), candidate(settings, "b"), candidate(settings, "c"));
        await().atMost(Duration.ofSeconds(5)).until(() -> candidates.stream().filter(Election::isLeader).count() == 1);
        ZooKeeperElectionBackend anyBackend = (ZooKeeperElectionBackend) closeables.get(0);
        await().atMost(Duration.ofSeconds(2)).until(() -> anyBackend.status().reachable());

        server.stop();
        await().atMost(SESSION).until(() -> candidates.stream().noneMatch(Election::isLeader));
        await().atMost(SESSION).until(() -> !anyBackend.status().reachable());
        BackendStatus down = anyBackend.status();
        assertThat(down.unreachableSince()).isNotNull();
        assertThat(down.lastError()).isNotNull();
        await().during(SESSION).atMost(SESSION.multipliedBy(2)).until(() -> candidates.stream().noneMatch(Election::isLeader));

        server.start();
        await().atMost(Duration.ofSeconds(15)).until(() -> candidates.stream().filter(Election::isLeader).count() == 1);
        await().during(SESSION).atMost(SESSION.multipliedBy(2)).until(() -> candidates.stream().filter(Election::isLeader).count() == 1);
        assertThat(anyBackend.status().reachable()).isTrue();
    }
}
