package dev.leader.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import dev.leader.testsupport.EtcdCluster;
import dev.leader.testsupport.RedisServer;
import dev.leader.testsupport.ServerProcess;
import dev.leader.testsupport.Shell;
import dev.leader.testsupport.ZooKeeperEnsemble;
import org.jspecify.annotations.Nullable;

/**
 * The coordination server a backend needs, started by test-support's starter for it on a free
 * loopback port (none for {@code lan} and {@code local}), and the arguments that point a sample
 * instance at it.
 */
final class BackendServer implements AutoCloseable {

    private final @Nullable AutoCloseable server;

    private final List<String> sampleArguments;

    private BackendServer(@Nullable AutoCloseable server, List<String> sampleArguments) {
        this.server = server;
        this.sampleArguments = sampleArguments;
    }

    List<String> sampleArguments() {
        return sampleArguments;
    }

    static BackendServer start(String backend, Path work) throws IOException {
        Files.createDirectories(work);
        return switch (backend) {
            case "zookeeper" -> {
                ZooKeeperEnsemble zooKeeper = ZooKeeperEnsemble.start(1);
                yield new BackendServer(zooKeeper, List.of("--leader.backend=zookeeper",
                        "--leader.zookeeper.connect-string=" + zooKeeper.connectString()));
            }
            case "redis" -> {
                RedisServer redis = RedisServer.start();
                yield new BackendServer(redis, List.of("--leader.backend=redis", "--leader.redis.url=" + redis.url()));
            }
            case "etcd" -> {
                EtcdCluster etcd = EtcdCluster.start(1);
                yield new BackendServer(etcd, List.of("--leader.backend=etcd", "--leader.etcd.endpoints=" + etcd.endpoint(0)));
            }
            case "lan" -> {
                enableLoopbackMulticast();
                // No server: peers on the loopback interface only, TTL 1, signed.
                yield new BackendServer(null, List.of("--leader.backend=lan", "--leader.lan.interface=lo",
                        "--leader.lan.secret=sample-secret", "--leader.lan.port=" + (20_000 + ServerProcess.freePort() % 20_000)));
            }
            default -> new BackendServer(null, List.of("--leader.backend=local",
                    "--leader.local.directory=" + work.resolve("locks")));
        };
    }

    private static void enableLoopbackMulticast() throws IOException {
        String failure = Shell.run(List.of("ip", "link", "set", "lo", "multicast", "on"));
        if (failure != null) {
            throw new IllegalStateException("'ip link set lo multicast on' failed (run as root with iproute2 installed): " + failure);
        }
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.close();
        }
    }
}
