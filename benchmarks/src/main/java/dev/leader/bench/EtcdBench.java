package dev.leader.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import dev.leader.autoconfigure.BackendType;
import dev.leader.election.ElectionBackend;
import dev.leader.etcd.EtcdBackendSettings;
import dev.leader.etcd.EtcdElectionBackend;
import dev.leader.testsupport.EtcdCluster;

/** etcd: a single-member etcd child process on loopback ports (test-support's starter). */
final class EtcdBench implements OurBench {

    @Override
    public BackendType backend() {
        return BackendType.ETCD;
    }

    @Override
    public BenchServer start(Path workDir) throws IOException {
        EtcdCluster etcd = EtcdCluster.start(1);
        String client = etcd.endpoint(0).toString();
        return BenchServer.of(client, EtcdCluster.version() + ", one member, loopback", () -> grpcCallsStarted(client), () -> {
            try {
                etcd.close();
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        });
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
    public ElectionBackend electionBackend(String address, Duration lease) {
        return new EtcdElectionBackend(EtcdBackendSettings.of(address).withLeaseDuration(lease));
    }

    @Override
    public Duration lease(Duration requested) {
        // etcd counts TTLs in whole seconds.
        long seconds = Math.max(1, (requested.toMillis() + 999) / 1000);
        return Duration.ofSeconds(seconds);
    }
}
