package dev.leader.redis;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Three real redis-server processes joined into a Redis Cluster (masters only) with redis-cli. */
public final class RedisClusterProcess implements AutoCloseable {

    static final Path CLI = Path.of("/usr/bin/redis-cli");

    private final List<RedisServerProcess> nodes = new ArrayList<>();

    public static RedisClusterProcess start(Path directory) throws IOException, InterruptedException {
        if (!Files.isExecutable(CLI)) {
            throw new AssertionError(CLI + " is missing: install it with 'apt-get install -y redis-server'");
        }
        RedisClusterProcess cluster = new RedisClusterProcess();
        try {
            for (int i = 0; i < 3; i++) {
                Path dir = Files.createDirectories(directory.resolve("node" + i));
                cluster.nodes.add(RedisServerProcess.start(dir, false, "--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000"));
            }
            List<String> create = new ArrayList<>(List.of(CLI.toString(), "--cluster", "create"));
            cluster.nodes.forEach(n -> create.add("127.0.0.1:" + n.port()));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            Process process = new ProcessBuilder(create).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new AssertionError("redis-cli --cluster create failed: " + output);
            }
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(cluster::isOk);
            return cluster;
        }
        catch (IOException | InterruptedException | RuntimeException | Error ex) {
            cluster.close();
            throw ex;
        }
    }

    /** {@code redis-cluster://127.0.0.1:p1,127.0.0.1:p2,…} */
    String url() {
        return RedisUrls.CLUSTER_SCHEME + nodes();
    }

    /** {@code 127.0.0.1:p1,127.0.0.1:p2,…}, as {@code spring.data.redis.cluster.nodes} lists them. */
    public String nodes() {
        return nodes.stream().map(n -> "127.0.0.1:" + n.port()).collect(Collectors.joining(","));
    }

    private boolean isOk() throws IOException, InterruptedException {
        for (RedisServerProcess node : nodes) {
            Process info = new ProcessBuilder(CLI.toString(), "-h", "127.0.0.1", "-p", Integer.toString(node.port()),
                    "cluster", "info").redirectErrorStream(true).start();
            String output = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            info.waitFor();
            if (!output.contains("cluster_state:ok")) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws InterruptedException {
        for (RedisServerProcess node : nodes) {
            node.close();
        }
    }
}
