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
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import dev.leader.testsupport.Shell;
import dev.leader.testsupport.TestCertificates;
import org.jspecify.annotations.Nullable;

/**
 * Real etcd members as child processes on free loopback ports: one, or a cluster of three, to
 * which a learner can be added. Each member keeps its ports and data directory across
 * {@link #kill9(int)} and {@link #restart(int)}, so a restarted member is the same member; a
 * member can also be paused ({@link #pause(int)}) and resumed.
 */
public final class EtcdServerProcess implements AutoCloseable {

    private static final String BINARY = "/usr/bin/etcd";

    private final Path dataRoot;

    private final List<Integer> clientPorts = new ArrayList<>();

    private final List<Integer> peerPorts = new ArrayList<>();

    private final List<@Nullable Process> processes = new ArrayList<>();

    /** Each member's {@code --initial-cluster} and {@code --initial-cluster-state}, as it was first started. */
    private final List<List<String>> clusterArgs = new ArrayList<>();

    private final List<String> tlsArgs = new ArrayList<>();

    private final List<String> memberArgs = new ArrayList<>();

    private String scheme = "http";

    private @Nullable SSLContext sslContext;

    private EtcdServerProcess(int members) throws IOException {
        if (!new File(BINARY).canExecute()) {
            throw new IllegalStateException(BINARY + " is missing: install it with `apt-get install etcd-server etcd-client`");
        }
        dataRoot = Files.createTempDirectory("leader-etcd");
        for (int i = 0; i < members; i++) {
            clientPorts.add(freePort());
            peerPorts.add(freePort());
            processes.add(null);
        }
        String initialCluster = IntStream.range(0, members).mapToObj(this::peerName).collect(Collectors.joining(","));
        for (int i = 0; i < members; i++) {
            clusterArgs.add(List.of("--initial-cluster", initialCluster, "--initial-cluster-state", "new"));
        }
    }

    /** Starts {@code members} members and waits until the cluster serves writes. */
    public static EtcdServerProcess startCluster(int members) throws IOException {
        EtcdServerProcess server = new EtcdServerProcess(members);
        server.launchAll();
        return server;
    }

    /**
     * As {@link #startCluster(int)}, the members sending a progress notification on every quiet
     * watch each {@code watchProgressInterval} (etcd's default is 10 minutes).
     */
    static EtcdServerProcess startCluster(int members, Duration watchProgressInterval) throws IOException {
        EtcdServerProcess server = new EtcdServerProcess(members);
        server.memberArgs.addAll(List.of("--experimental-watch-progress-notify-interval", watchProgressInterval.toMillis() + "ms"));
        server.launchAll();
        return server;
    }

    private void launchAll() throws IOException {
        for (int i = 0; i < clientPorts.size(); i++) {
            launch(i);
        }
        awaitHealthy();
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

    /**
     * One member serving clients over TLS with the server certificate of {@code certificates},
     * accepting only clients that present a certificate signed by their CA
     * ({@code --client-cert-auth}).
     */
    public static EtcdServerProcess startTlsWithClientCertificates(TestCertificates certificates)
            throws IOException, GeneralSecurityException {
        EtcdServerProcess server = new EtcdServerProcess(1);
        server.scheme = "https";
        server.sslContext = certificates.sslContext(true);
        server.tlsArgs.addAll(List.of("--cert-file", certificates.serverCertificate().toString(),
                "--key-file", certificates.serverKey().toString(), "--client-cert-auth",
                "--trusted-ca-file", certificates.caCertificate().toString()));
        server.launch(0);
        server.awaitHealthy();
        return server;
    }

    public List<URI> endpoints() {
        List<URI> uris = new ArrayList<>();
        for (int member = 0; member < clientPorts.size(); member++) {
            uris.add(endpoint(member));
        }
        return uris;
    }

    URI endpoint(int member) {
        return URI.create(scheme + "://127.0.0.1:" + clientPorts.get(member));
    }

    /** Restarts a stopped member on its old ports and data, and waits until the cluster serves writes. */
    public void restart(int member) throws IOException {
        launch(member);
        awaitHealthy();
    }

    /** The member dies at once, as on a crash: no goodbye to clients or peers. */
    public void kill9(int member) {
        Process process = processes.get(member);
        if (process != null) {
            process.destroyForcibly();
            await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());
            processes.set(member, null);
        }
    }

    /**
     * Stops the member (SIGSTOP): its sockets stay open and the kernel still accepts connections,
     * but nothing is answered, as from a hung or black-holed host.
     */
    void pause(int member) throws IOException {
        Shell.must(List.of("kill", "-STOP", Long.toString(process(member).pid())));
        await().atMost(Duration.ofSeconds(10)).until(() -> processState(member) == 'T');
    }

    /** Lets a paused member run again (SIGCONT). */
    void resume(int member) throws IOException {
        Shell.must(List.of("kill", "-CONT", Long.toString(process(member).pid())));
    }

    /** The member that is raft leader, once every running member names the same one. */
    int raftLeader() {
        HttpClient client = client();
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
            Map<String, Integer> memberById = new HashMap<>();
            Set<String> named = new HashSet<>();
            for (int i = 0; i < clientPorts.size(); i++) {
                if (processes.get(i) != null) {
                    Map<String, Object> status = GatewayJson.parseObject(post(client, i, "/v3/maintenance/status", "{}").body());
                    memberById.put(GatewayJson.object(status, "header").get("member_id").toString(), i);
                    named.add(String.valueOf(status.get("leader")));
                }
            }
            return named.size() == 1 ? memberById.getOrDefault(named.iterator().next(), -1) : -1;
        }, member -> member >= 0);
    }

    /**
     * Adds a learner: a member that replicates the log but votes on nothing and refuses clients
     * every streaming call (a watch, a keep-alive) and every linearizable request, as etcd's own
     * member replacement procedure adds a member first. Returns its index.
     */
    int addLearner() throws IOException {
        int member = clientPorts.size();
        clientPorts.add(freePort());
        peerPorts.add(freePort());
        processes.add(null);
        HttpClient client = client();
        String body = "{\"peerURLs\":[\"http://127.0.0.1:" + peerPorts.get(member) + "\"],\"isLearner\":true}";
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> post(client, 0, "/v3/cluster/member/add", body).statusCode() == 200);
        String initialCluster = IntStream.range(0, member + 1).mapToObj(this::peerName).collect(Collectors.joining(","));
        clusterArgs.add(List.of("--initial-cluster", initialCluster, "--initial-cluster-state", "existing"));
        launch(member);
        // A learner serves serializable reads once it has caught up: wait for that.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> post(client, member, "/v3/kv/range", "{\"key\":\"aGVhbHRo\",\"serializable\":true}").statusCode() == 200);
        return member;
    }

    private Process process(int member) {
        Process process = processes.get(member);
        if (process == null) {
            throw new IllegalStateException("member " + member + " is not running");
        }
        return process;
    }

    private char processState(int member) throws IOException {
        // /proc/<pid>/stat: "pid (comm) state ..."; comm is "etcd", without spaces.
        String stat = Files.readString(Path.of("/proc", Long.toString(process(member).pid()), "stat"));
        return stat.charAt(stat.indexOf(')') + 2);
    }

    /** Waits until a write through some member succeeds (a write needs a quorum and a leader). */
    void awaitHealthy() {
        HttpClient client = client();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
            for (int i = 0; i < clientPorts.size(); i++) {
                if (processes.get(i) != null
                        && post(client, i, "/v3/kv/put", "{\"key\":\"aGVhbHRo\",\"value\":\"MQ==\"}").statusCode() == 200) {
                    return true;
                }
            }
            return false;
        });
    }

    private HttpClient client() {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(500));
        if (sslContext != null) {
            builder.sslContext(sslContext);
        }
        return builder.build();
    }

    private HttpResponse<String> post(HttpClient client, int member, String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint(member).resolve(path)).timeout(Duration.ofMillis(1000))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws IOException {
        for (int i = 0; i < processes.size(); i++) {
            kill9(i);
        }
        try (Stream<Path> files = Files.walk(dataRoot)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private void launch(int member) throws IOException {
        String client = scheme + "://127.0.0.1:" + clientPorts.get(member);
        String peer = "http://127.0.0.1:" + peerPorts.get(member);
        Path log = dataRoot.resolve("n" + member + ".log");
        List<String> command = new ArrayList<>(List.of(BINARY, "--name", "n" + member,
                "--data-dir", dataRoot.resolve("n" + member).toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster-token", dataRoot.getFileName().toString()));
        command.addAll(clusterArgs.get(member));
        command.addAll(tlsArgs);
        command.addAll(memberArgs);
        processes.set(member, new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start());
    }

    private String peerName(int member) {
        return "n" + member + "=http://127.0.0.1:" + peerPorts.get(member);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
