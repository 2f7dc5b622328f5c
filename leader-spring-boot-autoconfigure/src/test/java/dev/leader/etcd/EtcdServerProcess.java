package dev.leader.etcd;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * Real etcd members as child processes on free loopback ports: one, or a cluster of three.
 * Each member keeps its ports and data directory across {@link #kill9(int)} and {@link #start(int)},
 * so a restarted member is the same member.
 */
public final class EtcdServerProcess implements AutoCloseable {

    private static final String BINARY = "/usr/bin/etcd";

    private final Path dataRoot;

    private final int[] clientPorts;

    private final int[] peerPorts;

    private final Process[] processes;

    private final String initialCluster;

    private final List<String> tlsArgs = new ArrayList<>();

    private String scheme = "http";

    private @Nullable SSLContext sslContext;

    private EtcdServerProcess(int members) throws IOException {
        if (!new File(BINARY).canExecute()) {
            throw new IllegalStateException(BINARY + " is missing: install it with `apt-get install etcd-server etcd-client`");
        }
        dataRoot = Files.createTempDirectory("leader-etcd");
        clientPorts = new int[members];
        peerPorts = new int[members];
        processes = new Process[members];
        for (int i = 0; i < members; i++) {
            clientPorts[i] = freePort();
            peerPorts[i] = freePort();
        }
        initialCluster = IntStream.range(0, members).mapToObj(i -> "n" + i + "=http://127.0.0.1:" + peerPorts[i])
                .collect(Collectors.joining(","));
    }

    /** Starts {@code members} members and waits until the cluster serves writes. */
    public static EtcdServerProcess startCluster(int members) throws IOException {
        EtcdServerProcess server = new EtcdServerProcess(members);
        for (int i = 0; i < members; i++) {
            server.launch(i);
        }
        server.awaitHealthy();
        return server;
    }

    /** One member serving clients over TLS with {@code cert}/{@code key}; {@code trust} trusts it. */
    static EtcdServerProcess startTls(Path cert, Path key, SSLContext trust) throws IOException {
        EtcdServerProcess server = new EtcdServerProcess(1);
        server.scheme = "https";
        server.sslContext = trust;
        server.tlsArgs.addAll(List.of("--cert-file", cert.toString(), "--key-file", key.toString()));
        server.launch(0);
        server.awaitHealthy();
        return server;
    }

    public List<URI> endpoints() {
        List<URI> uris = new ArrayList<>();
        for (int port : clientPorts) {
            uris.add(URI.create(scheme + "://127.0.0.1:" + port));
        }
        return uris;
    }

    URI endpoint(int member) {
        return URI.create(scheme + "://127.0.0.1:" + clientPorts[member]);
    }

    /** Restarts a stopped member on its old ports and data, and waits until the cluster serves writes. */
    public void restart(int member) throws IOException {
        launch(member);
        awaitHealthy();
    }

    /** The member dies at once, as on a crash: no goodbye to clients or peers. */
    public void kill9(int member) {
        Process process = processes[member];
        if (process != null) {
            process.destroyForcibly();
            await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());
            processes[member] = null;
        }
    }

    /** Waits until a write through some member succeeds (a write needs a quorum and a leader). */
    void awaitHealthy() {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(500));
        if (sslContext != null) {
            builder.sslContext(sslContext);
        }
        HttpClient client = builder.build();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
            for (int i = 0; i < clientPorts.length; i++) {
                if (processes[i] == null) {
                    continue;
                }
                HttpRequest request = HttpRequest.newBuilder(endpoint(i).resolve("/v3/kv/put"))
                        .timeout(Duration.ofMillis(1000))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"aGVhbHRo\",\"value\":\"MQ==\"}")).build();
                if (client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return true;
                }
            }
            return false;
        });
    }

    @Override
    public void close() throws IOException {
        for (int i = 0; i < processes.length; i++) {
            kill9(i);
        }
        try (Stream<Path> files = Files.walk(dataRoot)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private void launch(int member) throws IOException {
        String client = scheme + "://127.0.0.1:" + clientPorts[member];
        String peer = "http://127.0.0.1:" + peerPorts[member];
        Path log = dataRoot.resolve("n" + member + ".log");
        List<String> command = new ArrayList<>(List.of(BINARY, "--name", "n" + member,
                "--data-dir", dataRoot.resolve("n" + member).toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", initialCluster, "--initial-cluster-state", "new",
                "--initial-cluster-token", dataRoot.getFileName().toString()));
        command.addAll(tlsArgs);
        processes[member] = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
