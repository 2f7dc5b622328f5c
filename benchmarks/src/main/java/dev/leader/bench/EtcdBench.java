package dev.leader.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
        return BenchServer.of(client, version + ", one member, loopback", () -> grpcCallsStarted(client), server::close);
    }

    /** Sum of {@code grpc_server_started_total} from etcd's metrics (the JSON gateway calls gRPC inside). */
    static long grpcCallsStarted(String client) {
        try {
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(client + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            double sum = 0;
            for (String line : metrics.body().split("\n")) {
                if (line.startsWith("grpc_server_started_total{")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return (long) sum;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot read etcd metrics at " + client, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading etcd metrics", ex);
        }
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
