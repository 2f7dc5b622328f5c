package dev.leader.zookeeper;

import java.time.Duration;
import dev.leader.election.ElectionBackend;
import dev.leader.election.ElectionContractTest;
import dev.leader.testsupport.ZooKeeperTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class ZooKeeperElectionContractTest extends ElectionContractTest {

    private static ZooKeeperTestServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new ZooKeeperTestServer();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected ElectionBackend newBackend() {
        return new ZooKeeperElectionBackend(ZooKeeperBackendSettings.builder(server.connectString())
                .leaseDuration(lease()).build());
    }

    @Override
    protected Duration lease() {
        return Duration.ofSeconds(2);
    }
}
