package dev.leader.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import dev.leader.autoconfigure.BackendType;
import dev.leader.testsupport.EtcdCluster;
import dev.leader.testsupport.PostgresServer;
import dev.leader.testsupport.RedisServer;
import dev.leader.testsupport.ServerProcess;
import dev.leader.testsupport.Shell;
import dev.leader.testsupport.ZooKeeperEnsemble;
import org.jspecify.annotations.Nullable;

/**
 * The coordination server a backend needs, started by test-support's starter for it on a free
 * loopback port (none for {@code lan} and {@code local}; PostgreSQL for {@code jdbc}), and the
 * arguments that point a sample instance at it. No default: a new {@link BackendType} does not
 * compile here until the sample's hand-off tests know how to start its server.
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

    static BackendServer start(BackendType backend, Path work) throws IOException {
        Files.createDirectories(work);
        List<String> select = List.of("--leader.backend=" + backend.id());
        return switch (backend) {
            case LOCAL -> new BackendServer(null, with(select, "--leader.local.directory=" + work.resolve("locks")));
            case ZOOKEEPER -> {
                ZooKeeperEnsemble zooKeeper = ZooKeeperEnsemble.start(1);
                yield new BackendServer(zooKeeper, with(select, "--leader.zookeeper.connect-string=" + zooKeeper.connectString()));
            }
            case REDIS -> {
                RedisServer redis = RedisServer.start();
                yield new BackendServer(redis, with(select, "--leader.redis.url=" + redis.url()));
            }
            case ETCD -> {
                EtcdCluster etcd = EtcdCluster.start(1);
                yield new BackendServer(etcd, with(select, "--leader.etcd.endpoints=" + etcd.endpoint(0)));
            }
            case LAN -> {
                enableLoopbackMulticast();
                // No server: peers on the loopback interface only, TTL 1, signed.
                yield new BackendServer(null, with(select, "--leader.lan.interface=lo", "--leader.lan.secret=sample-secret",
                        "--leader.lan.port=" + (20_000 + ServerProcess.freePort() % 20_000)));
            }
            case JDBC -> {
                PostgresServer postgres = PostgresServer.start();
                yield new BackendServer(postgres, with(select, "--leader.jdbc.url=" + postgres.jdbcUrl() + "?user=" + postgres.user()));
            }
        };
    }

    private static List<String> with(List<String> select, String... arguments) {
        List<String> all = new ArrayList<>(select);
        all.addAll(List.of(arguments));
        return all;
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
