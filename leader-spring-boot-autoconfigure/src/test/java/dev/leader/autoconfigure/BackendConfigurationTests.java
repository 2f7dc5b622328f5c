package dev.leader.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import dev.leader.autoconfigure.actuate.LeaderHealthContributorAutoConfiguration;
import dev.leader.election.Election;
import dev.leader.election.ElectionBackend;
import dev.leader.etcd.autoconfigure.EtcdConnectionDetails;
import dev.leader.testsupport.EtcdCluster;
import dev.leader.testsupport.RedisCluster;
import dev.leader.testsupport.RedisServer;
import dev.leader.testsupport.ZooKeeperTestServer;
import dev.leader.zookeeper.autoconfigure.ZooKeeperConnectionDetails;
import dev.leader.spring.ElectionRegistry;
import dev.leader.lan.LoopbackMulticast;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Each networked backend chosen and wired from {@code leader.*}, electing on a real server. */
class BackendConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LeaderAutoConfiguration.class, LeaderHealthContributorAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class))
            .withPropertyValues("leader.lease-duration=2s");

    private static void awaitLeader(org.springframework.context.ApplicationContext context, String type) {
        assertThat(context.getBean(ElectionBackend.class).type()).isEqualTo(type);
        Election election = context.getBean(ElectionRegistry.class).defaultElection();
        await().atMost(Duration.ofSeconds(15)).until(election::isLeader);
        assertThat(election.leadership().orElseThrow().fencingToken()).isPositive();
    }

    @Test
    void runWhenZookeeperConnectStringSetShouldElectThroughZooKeeper() throws Exception {
        try (ZooKeeperTestServer server = new ZooKeeperTestServer()) {
            runner.withPropertyValues("leader.zookeeper.connect-string=" + server.connectString())
                    .run(context -> awaitLeader(context, "zookeeper"));
        }
    }

    @Test
    void runWhenZooKeeperConnectionDetailsBeanDefinedShouldUseIt() throws Exception {
        try (ZooKeeperTestServer server = new ZooKeeperTestServer()) {
            runner.withPropertyValues("leader.backend=zookeeper", "leader.zookeeper.connect-string=127.0.0.1:1")
                    .withBean(ZooKeeperConnectionDetails.class, () -> server::connectString)
                    .run(context -> awaitLeader(context, "zookeeper"));
        }
    }

    @Test
    void runWhenZookeeperChosenWithoutAddressShouldFailNamingProperty() {
        runner.withPropertyValues("leader.backend=zookeeper").run(context ->
                assertThat(LeaderAutoConfigurationTests.failure(context)).contains("leader.zookeeper.connect-string"));
    }

    @Test
    void runWhenRedisUrlSetShouldElectThroughRedis() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            runner.withPropertyValues("leader.redis.url=" + redis.url()).run(context -> awaitLeader(context, "redis"));
        }
    }

    @Test
    void runWhenRedisChosenShouldReuseSpringDataRedisConnection() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            DataRedisConnectionDetails details = new DataRedisConnectionDetails() {
                @Override
                public Standalone getStandalone() {
                    return Standalone.of("127.0.0.1", redis.port());
                }
            };
            runner.withPropertyValues("leader.backend=redis").withBean(DataRedisConnectionDetails.class, () -> details)
                    .run(context -> awaitLeader(context, "redis"));
        }
    }

    @Test
    void runWhenSpringDataRedisNamesSentinelsShouldElectOnTheirMaster() throws Exception {
        try (RedisServer master = RedisServer.start();
                RedisServer sentinel = RedisServer.builder().sentinelOf(master).start()) {
            runner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                    .withPropertyValues("leader.backend=redis", "spring.data.redis.sentinel.master=mymaster",
                            "spring.data.redis.sentinel.nodes=127.0.0.1:" + sentinel.port())
                    .run(context -> {
                        awaitLeader(context, "redis");
                        Election election = context.getBean(ElectionRegistry.class).defaultElection();
                        RedisClient client = RedisClient.create(master.url());
                        try (StatefulRedisConnection<String, String> connection = client.connect()) {
                            assertThat(connection.sync().get("leader:{" + election.name() + "}")).startsWith(election.candidateId());
                        }
                        finally {
                            client.shutdown();
                        }
                    });
        }
    }

    @Test
    void runWhenSpringDataRedisNamesClusterNodesShouldElectInThatCluster() throws Exception {
        try (RedisCluster cluster = RedisCluster.start()) {
            runner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                    .withPropertyValues("leader.backend=redis", "spring.data.redis.cluster.nodes=" + cluster.nodeList())
                    .run(context -> {
                        awaitLeader(context, "redis");
                        Election election = context.getBean(ElectionRegistry.class).defaultElection();
                        RedisClusterClient client = RedisClusterClient.create("redis://" + cluster.nodeList().split(",")[0]);
                        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
                            assertThat(connection.sync().get("leader:{" + election.name() + "}")).startsWith(election.candidateId());
                        }
                        finally {
                            client.shutdown();
                        }
                    });
        }
    }

    @Test
    void runWhenSpringDataRedisIsMasterReplicaShouldFailNamingProperty() {
        runner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                .withPropertyValues("leader.backend=redis", "spring.data.redis.masterreplica.nodes=127.0.0.1:1,127.0.0.1:2")
                .run(context -> assertThat(LeaderAutoConfigurationTests.failure(context))
                        .contains("spring.data.redis.masterreplica.nodes").contains("leader.redis.url"));
    }

    @Test
    void runWhenRedisChosenWithoutAnyAddressShouldFailNamingProperty() {
        runner.withPropertyValues("leader.backend=redis").run(context ->
                assertThat(LeaderAutoConfigurationTests.failure(context)).contains("leader.redis.url").contains("spring.data.redis"));
    }

    @Test
    void runWhenRedisCommandTimeoutTooLongShouldFailNamingProperty() {
        runner.withPropertyValues("leader.redis.url=redis://127.0.0.1:1", "leader.redis.command-timeout=5s")
                .run(context -> assertThat(LeaderAutoConfigurationTests.failure(context)).contains("leader.redis.command-timeout"));
    }

    @Test
    void runWhenEtcdEndpointsSetShouldElectThroughEtcd() throws Exception {
        try (EtcdCluster etcd = EtcdCluster.start(1)) {
            runner.withPropertyValues("leader.etcd.endpoints=" + etcd.endpoints().get(0)).run(context -> awaitLeader(context, "etcd"));
        }
    }

    @Test
    void runWhenEtcdEndpointsSetAsIndexedListShouldElectThroughEtcd() throws Exception {
        // How YAML's "endpoints: [...]" reaches the environment: no property is named leader.etcd.endpoints itself.
        try (EtcdCluster etcd = EtcdCluster.start(1)) {
            runner.withPropertyValues("leader.etcd.endpoints[0]=" + etcd.endpoints().get(0)).run(context -> awaitLeader(context, "etcd"));
        }
    }

    @Test
    void runWhenEtcdConnectionDetailsBeanDefinedShouldUseIt() throws Exception {
        try (EtcdCluster etcd = EtcdCluster.start(1)) {
            runner.withPropertyValues("leader.backend=etcd").withBean(EtcdConnectionDetails.class, () -> etcd::endpoints)
                    .run(context -> awaitLeader(context, "etcd"));
        }
    }

    @Test
    void runWhenLanChosenOnLoopbackShouldElect() throws Exception {
        LoopbackMulticast.enable();
        runner.withPropertyValues("leader.backend=lan", "leader.lan.interface=lo", "leader.lan.secret=s3cret",
                "leader.lan.port=" + (20_000 + (int) (ProcessHandle.current().pid() % 20_000)), "leader.lan.group=cfg-test")
                .run(context -> awaitLeader(context, "lan"));
    }

    @Test
    void runWhenLanAddressNotMulticastShouldFailNamingProperty() {
        runner.withPropertyValues("leader.backend=lan", "leader.lan.interface=lo", "leader.lan.address=127.0.0.1")
                .run(context -> assertThat(LeaderAutoConfigurationTests.failure(context)).contains("leader.lan.address"));
    }
}
