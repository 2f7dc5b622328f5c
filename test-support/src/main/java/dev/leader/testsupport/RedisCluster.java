package dev.leader.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Three {@link RedisServer}s joined into a Redis Cluster (masters only) by {@code redis-cli --cluster create}. */
public final class RedisCluster implements AutoCloseable {

    private final List<RedisServer> nodes = new ArrayList<>();

    private RedisCluster() {
    }

    public static RedisCluster start() throws IOException {
        RedisCluster cluster = new RedisCluster();
        try {
            for (int i = 0; i < 3; i++) {
                cluster.nodes.add(RedisServer.builder().options("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "2000").start());
            }
            List<String> create = new ArrayList<>(List.of("--cluster", "create"));
            cluster.nodes.forEach(node -> create.add(node.address() + ":" + node.port()));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            cluster.nodes.get(0).cli(create.toArray(String[]::new));
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(cluster::isOk);
            return cluster;
        }
        catch (IOException | RuntimeException | Error ex) {
            cluster.close();
            throw ex;
        }
    }

    public List<RedisServer> nodes() {
        return List.copyOf(nodes);
    }

    /** {@code 127.0.0.1:p1,127.0.0.1:p2,…}, as {@code spring.data.redis.cluster.nodes} lists them. */
    public String nodeList() {
        return nodes.stream().map(node -> node.address() + ":" + node.port()).collect(Collectors.joining(","));
    }

    /** {@code redis-cluster://127.0.0.1:p1,127.0.0.1:p2,…}, as {@code leader.redis.url} takes a cluster. */
    public String url() {
        return "redis-cluster://" + nodeList();
    }

    private boolean isOk() throws IOException {
        for (RedisServer node : nodes) {
            if (!node.cli("cluster", "info").contains("cluster_state:ok")) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        for (RedisServer node : nodes) {
            node.close();
        }
    }
}
