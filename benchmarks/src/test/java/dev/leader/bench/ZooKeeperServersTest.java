package dev.leader.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks' ZooKeeper server takes the herd's candidates, 200 sessions from one address: a
 * server with ZooKeeper's default of 60 connections per client address refused the rest, and the
 * herd of a full run failed ("neither leads nor knows a leader").
 */
class ZooKeeperServersTest {

    @Test
    void acceptsMoreSessionsFromOneAddressThanZooKeepersDefaultLimit() throws Exception {
        List<ZooKeeper> clients = new ArrayList<>();
        try (ZooKeeperServers.Server server = ZooKeeperServers.start()) {
            for (int i = 0; i < 61; i++) {
                clients.add(new ZooKeeper(server.address(), 10_000, event -> {
                }));
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(clients)
                .allSatisfy(client -> assertThat(client.getState()).isEqualTo(ZooKeeper.States.CONNECTED)));
        }
        finally {
            for (ZooKeeper client : clients) {
                client.close(100);
            }
        }
    }
}
