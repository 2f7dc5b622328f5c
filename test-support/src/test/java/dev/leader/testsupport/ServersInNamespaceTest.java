package dev.leader.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The starters run a server where the fault suite does: in a bridge's hub namespace, on the hub's
 * address, probed only from there; a kill -9 and a restart keep its data.
 */
class ServersInNamespaceTest {

    private BridgedNamespaces lab;

    private Placement hub;

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
