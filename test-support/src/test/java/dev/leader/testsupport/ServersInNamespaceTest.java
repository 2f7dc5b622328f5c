package dev.leader.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The starters run a server where the fault suite does: in a bridge's hub namespace, on the hub's
 * address, probed only from there; a kill -9 and a restart keep its data.
 */
class ServersInNamespaceTest {

    private BridgedNamespaces lab;

    private Placement hub;

    @TempDir
    private Path logs;

    @BeforeEach
    void namespaces() throws IOException {
        String unavailable = BridgedNamespaces.unavailableReason();
        assumeTrue(unavailable == null, () -> "network namespace test skipped: " + unavailable);
        lab = BridgedNamespaces.create("sts", "10.215.0", "10.215.0.1", "sts0", 1);
        hub = Placement.in(lab.inHub(), "10.215.0.1");
    }

    @AfterEach
    void deleteNamespaces() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void redisInTheHubKeepsItsAppendOnlyDataAcrossAKill9() throws IOException {
        try (RedisServer redis = RedisServer.builder().appendOnly().placement(hub).start()) {
            assertThat(redis.url()).isEqualTo("redis://10.215.0.1:" + redis.port());
            redis.cli("set", "k", "v");
            redis.kill9();
            assertThat(hub.accepts(redis.port())).isFalse();
            redis.restart();
            assertThat(redis.cli("get", "k")).isEqualTo("v");
        }
    }

    @Test
    void redisRestartedWithOtherOptionsUsesThemForThatStartOnly() throws IOException {
        Path log = logs.resolve("redis.log");
        try (RedisServer redis = RedisServer.builder().appendOnly().placement(hub).consoleLog(log).start()) {
            redis.cli("set", "k", "v");
            redis.kill9();
            redis.restartWith("--appendonly", "no", "--dbfilename", "missing.rdb");
            assertThat(redis.cli("get", "k")).isEmpty();
            redis.kill9();
            redis.restart();
            assertThat(redis.cli("get", "k")).isEqualTo("v");
        }
        assertThat(Files.readString(log)).contains("Ready to accept connections");
    }

    @Test
    void postgresInTheHubServesOtherNamespacesAndIsPausedAndKilledWithItsBackends() throws IOException {
        try (PostgresServer postgres = PostgresServer.builder().placement(hub).settings("max_connections=200")
                .consoleLog(logs.resolve("postgres.log")).start()) {
            assertThat(postgres.jdbcUrl()).startsWith("jdbc:postgresql://10.215.0.1:");
            assertThat(postgres.psql("SHOW max_connections")).isEqualTo("200");
            postgres.psql("CREATE TABLE t (v int); INSERT INTO t VALUES (7)");
            List<String> fromMember = new ArrayList<>(lab.inMember(0));
            fromMember.addAll(List.of("/usr/lib/postgresql/15/bin/psql", "-h", "10.215.0.1", "-p", Integer.toString(postgres.port()),
                    "-U", "postgres", "-d", "postgres", "-Atqc", "SELECT v FROM t"));
            assertThat(Shell.run(fromMember)).isNull();
            List<ProcessHandle> tree = new ArrayList<>(ProcessHandle.of(postgres.pid()).orElseThrow().descendants().toList());
            assertThat(tree).isNotEmpty();
            postgres.pause();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(tree).allSatisfy(
                    process -> assertThat(state(process)).as("state of %s", process.pid()).isIn('T', '?')));
            postgres.resume();
            postgres.kill9();
            assertThat(tree).noneMatch(ProcessHandle::isAlive);
            postgres.restart();
            assertThat(postgres.psql("SELECT v FROM t")).isEqualTo("7");
        }
        assertThat(Files.readString(logs.resolve("postgres.log"))).contains("database system is ready to accept connections");
    }

    /** The state letter in {@code /proc/<pid>/stat}; {@code ?} for a process that exited meanwhile. */
    private static char state(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        }
        catch (IOException ex) {
            return '?';
        }
    }

    @Test
    void etcdMembersInTheHubNameTheirRaftLeaderAndRestartTogetherAfterLosingQuorum() throws IOException {
        try (EtcdCluster etcd = EtcdCluster.builder(3).member(0, hub).member(1, hub).member(2, hub).consoleLogs(logs).start()) {
            assertThat(etcd.raftLeader()).isBetween(0, 2);
            etcd.kill9(0);
            etcd.kill9(1);
            etcd.restartStopped();
            assertThat(etcd.member(0).isRunning()).isTrue();
            assertThat(etcd.member(1).isRunning()).isTrue();
            assertThat(etcd.raftLeader()).isBetween(0, 2);
        }
        assertThat(logs.resolve("etcd-n2.log")).isNotEmptyFile();
    }

    @Test
    void aZooKeeperEnsembleInTheHubNamesItsLeaderAndRestartsTogetherAfterLosingQuorum() throws IOException {
        try (ZooKeeperEnsemble zooKeeper = ZooKeeperEnsemble.builder(3).placement(hub).config("4lw.commands.whitelist=srvr")
                .consoleLogs(logs).start()) {
            int leader = zooKeeper.leader();
            zooKeeper.server(leader).kill9();
            zooKeeper.server((leader + 1) % 3).kill9();
            zooKeeper.restartStopped();
            assertThat(hub.accepts(zooKeeper.server(leader).port())).isTrue();
            assertThat(zooKeeper.leader()).isBetween(0, 2);
        }
        assertThat(logs.resolve("zookeeper-1.log")).isNotEmptyFile();
    }

    @Test
    void etcdMembersInTheHubRejoinAfterAKill9() throws IOException {
        try (EtcdCluster etcd = EtcdCluster.builder(3).member(0, hub).member(1, hub).member(2, hub).start()) {
            assertThat(etcd.endpoint(0).getHost()).isEqualTo("10.215.0.1");
            etcd.kill9(0);
            etcd.kill9(1);
            assertThat(hub.accepts(etcd.endpoint(0).getPort())).isFalse();
            etcd.restart(0);
            etcd.restart(1);
            assertThat(hub.accepts(etcd.endpoint(1).getPort())).isTrue();
        }
    }

    @Test
    void aZooKeeperEnsembleInTheHubAcceptsClientsAgainAfterAKill9() throws IOException {
        try (ZooKeeperEnsemble zooKeeper = ZooKeeperEnsemble.builder(3).placement(hub).start()) {
            assertThat(zooKeeper.connectString()).startsWith("10.215.0.1:");
            ServerProcess first = zooKeeper.server(0);
            first.kill9();
            assertThat(hub.accepts(first.port())).isFalse();
            first.restart();
            assertThat(hub.accepts(first.port())).isTrue();
        }
    }
}
