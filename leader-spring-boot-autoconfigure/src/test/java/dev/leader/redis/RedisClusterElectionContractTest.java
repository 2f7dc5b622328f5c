package dev.leader.redis;

import java.io.IOException;
import java.time.Duration;
import dev.leader.election.ElectionBackend;
import dev.leader.election.ElectionContractTest;
import dev.leader.testsupport.RedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The shared contract on a three-node Redis Cluster: elections land on different nodes' slots. */
class RedisClusterElectionContractTest extends ElectionContractTest {

    static RedisCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = RedisCluster.start();
    }

    @AfterAll
    static void stopCluster() throws IOException {
        cluster.close();
    }

    @Override
    protected ElectionBackend newBackend() {
        return RedisElectionBackend.fromUrl(cluster.url(), RedisBackendSettings.of(lease()));
    }

    @Override
    protected Duration lease() {
        return Duration.ofSeconds(1);
    }
}
