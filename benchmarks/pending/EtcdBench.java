package dev.leader.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.leader.etcd.EtcdBackendSettings;
import dev.leader.etcd.EtcdElectionBackend;

/** etcd: a single-member etcd child process on loopback ports. */
final class EtcdBench implements BenchBackend {

    static final String BINARY = "/usr/bin/etcd";

    @Override
    public String type() {
        return "etcd";
    }

    @Override
    public BenchServer start(Path workDir) throws IOException {
        Files.createDirectories(workDir);
        int port = ExternalServer.freePort();
        int peerPort = ExternalServer.freePort();
        String client = "http://127.0.0.1:" + port;
        String peer = "http://127.0.0.1:" + peerPort;
        ExternalServer server = ExternalServer.start(List.of(BINARY, "--name", "bench", "--data-dir", workDir.resolve("data").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client, "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer, "--initial-cluster", "bench=" + peer, "--initial-cluster-state", "new"),
                port, workDir.resolve("etcd.log"));
        String version = ExternalServer.version(BINARY, "--version");
        return new BenchServer() {
            @Override
            public String address() {
                return client;
            }

            @Override
            public String description() {
                return version + ", one member, loopback";
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }

    @Override
    public Contenders connect(String address, Duration lease) {
        return Contenders.of(new EtcdElectionBackend(EtcdBackendSettings.of(address).withLeaseDuration(lease)));
    }

    @Override
    public Duration lease(Duration requested) {
        // etcd counts TTLs in whole seconds.
        long seconds = Math.max(1, (requested.toMillis() + 999) / 1000);
        return Duration.ofSeconds(seconds);
    }
}
