package dev.leader.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * etcd members from Debian ({@code /usr/bin/etcd}) as child processes on free ports: one, or a
 * cluster of three, to which a learner can be added. Each member keeps its ports and data
 * directory across {@link #kill9(int)} and {@link #restart(int)}, so a restarted member is the same
 * member (etcd then ignores the initial-cluster flags and rejoins from its write-ahead log); a
 * member can also be paused and resumed. Members run on this host's loopback or, each on its own
 * {@link Placement}, in network namespaces.
 */
public final class EtcdCluster implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/etcd");

    public static final Path CTL = Path.of("/usr/bin/etcdctl");

    private static final Pattern MEMBER_ID = Pattern.compile("\"member_id\"\\s*:\\s*\"?(\\d+)");

    private static final Pattern LEADER = Pattern.compile("\"leader\"\\s*:\\s*\"?(\\d+)");

    private final Path dataRoot;

    private final String scheme;

    private final @Nullable SSLContext sslContext;

    private final List<String> options;

    private final @Nullable Path consoleLogs;

    private final List<Member> members = new ArrayList<>();

    private EtcdCluster(Path dataRoot, String scheme, @Nullable SSLContext sslContext, List<String> options,
            @Nullable Path consoleLogs) {
        this.dataRoot = dataRoot;
        this.scheme = scheme;
        this.sslContext = sslContext;
        this.options = options;
        this.consoleLogs = consoleLogs;
    }

    /** {@code members} members on loopback, started and able to serve writes. */
    public static EtcdCluster start(int members) throws IOException {
        return builder(members).start();
    }

    public static Builder builder(int members) {
        return new Builder(members);
    }

    /** {@code etcd Version: 3.4.30}, from {@code etcd --version}. */
    public static String version() {
        return ServerProcess.version(BINARY.toString(), "--version");
    }

    public List<URI> endpoints() {
        return members.stream().map(Member::endpoint).toList();
    }

    public URI endpoint(int member) {
        return members.get(member).endpoint();
    }

    /** Member {@code member}'s process, for its pid and its state. */
    public ServerProcess member(int member) {
        return members.get(member);
    }

    /** Restarts a stopped member on its old ports and data, and waits until the cluster serves writes. */
    public void restart(int member) throws IOException {
        members.get(member).launch();
        awaitHealthy();
    }

    /**
     * Restarts every stopped member on its old ports and data, all at once (one alone may have no
     * quorum to wait for), and waits until the cluster serves writes.
     */
    public void restartStopped() throws IOException {
        for (Member member : members) {
            if (!member.isRunning()) {
                member.launch();
            }
        }
        awaitHealthy();
    }

    /** The member dies at once, as on a crash: no goodbye to clients or peers. */
    public void kill9(int member) {
        members.get(member).kill9();
    }

    /** SIGSTOP: its sockets stay open, nothing is answered, as from a hung or black-holed host. */
    public void pause(int member) throws IOException {
        members.get(member).pause();
    }

    /** SIGCONT after {@link #pause(int)}. */
    public void resume(int member) throws IOException {
        members.get(member).resume();
    }

    /**
     * The member that is raft leader, once every running member not paused names the same one. A member in a
     * namespace is asked by {@code etcdctl endpoint status} run there.
     */
    public int raftLeader() {
        HttpClient client = client();
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
            Map<String, Integer> memberById = new HashMap<>();
            Set<String> named = new HashSet<>();
            for (int i = 0; i < members.size(); i++) {
                if (members.get(i).isRunning() && !members.get(i).isPaused()) {
                    String status = members.get(i).status(client);
                    memberById.put(find(MEMBER_ID, status), i);
                    named.add(find(LEADER, status));
                }
            }
            return named.size() == 1 ? memberById.getOrDefault(named.iterator().next(), -1) : -1;
        }, member -> member >= 0);
    }

    /**
     * Makes {@code member} the raft leader (etcd's leadership transfer, asked of the leader now)
     * and returns once every running member names it. Members in a namespace cannot be asked.
     */
    public void makeLeader(int member) {
        HttpClient client = client();
        String target = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> find(MEMBER_ID, members.get(member).status(client)), id -> id != null);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            int leader = raftLeader();
            if (leader != member) {
                post(client, leader, "/v3/maintenance/transfer-leadership", "{\"targetID\":\"" + target + "\"}");
            }
            return leader == member;
        });
    }

    /**
     * Adds a learner: a member that replicates the log but votes on nothing and refuses clients
     * every streaming call (a watch, a keep-alive) and every linearizable request, as etcd's own
     * member replacement procedure adds a member first, on loopback, introduced by member 0 (which
     * must be on loopback too). Returns its index once it has caught up.
     */
    public int addLearner() throws IOException {
        int index = members.size();
        Member learner = new Member(index, Placement.LOOPBACK, List.of());
        members.add(learner);
        HttpClient client = client();
        String body = "{\"peerURLs\":[\"" + learner.peerUrl() + "\"],\"isLearner\":true}";
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> post(client, 0, "/v3/cluster/member/add", body).statusCode() == 200);
        learner.clusterState = "existing";
        learner.launch();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> post(client, index, "/v3/kv/range", "{\"key\":\"aGVhbHRo\",\"serializable\":true}").statusCode() == 200);
        return index;
    }

    /**
     * Waits until a write through some running member succeeds (a write needs a quorum and a
     * leader). A member in a namespace is written to by {@code etcdctl} run there, never by this
     * JVM: its address may not be routed from here, and no packet may leave for it.
     */
    public void awaitHealthy() {
        HttpClient client = client();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
            for (Member member : members) {
                if (member.isRunning() && member.wasWrittenThrough(client)) {
                    return true;
                }
            }
            return false;
        });
    }

    private static String find(Pattern pattern, String json) {
        Matcher matcher = pattern.matcher(json);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + pattern + " in " + json);
        }
        return matcher.group(1);
    }

    private HttpClient client() {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofMillis(500));
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

    private String initialCluster() {
        return members.stream().map(member -> member.name() + "=" + member.peerUrl()).collect(Collectors.joining(","));
    }

    @Override
    public void close() throws IOException {
        for (Member member : members) {
            member.close();
        }
        ServerProcess.deleteTree(dataRoot);
    }

    /** One member: its client port is the process's port, its peer port one of its own. */
    private final class Member extends ServerProcess {

        private final int index;

        private final int peerPort;

        private final List<String> memberOptions;

        private String clusterState = "new";

        private @Nullable String initialCluster;

        Member(int index, Placement placement, List<String> memberOptions) throws IOException {
            super(Files.createDirectories(dataRoot.resolve("n" + index)), placement,
                    consoleLogs == null ? null : consoleLogs.resolve("etcd-n" + index + ".log"));
            this.index = index;
            this.peerPort = freePort();
            this.memberOptions = memberOptions;
        }

        String name() {
            return "n" + index;
        }

        URI endpoint() {
            return URI.create(scheme + "://" + address() + ":" + port());
        }

        String peerUrl() {
            return "http://" + address() + ":" + peerPort;
        }

        /** Its maintenance status, in JSON: {@code member_id} and {@code leader} among the fields. */
        String status(HttpClient client) throws IOException, InterruptedException {
            if (placement().isRemote()) {
                return run(placement().command(List.of(CTL.toString(), "--endpoints=" + endpoint(), "--command-timeout=1s",
                        "endpoint", "status", "-w", "json")), Duration.ofSeconds(5));
            }
            return post(client, index, "/v3/maintenance/status", "{}").body();
        }

        boolean wasWrittenThrough(HttpClient client) throws IOException, InterruptedException {
            if (placement().isRemote()) {
                return Shell.run(placement().command(List.of(CTL.toString(), "--endpoints=" + endpoint(), "--command-timeout=1s",
                        "put", "health", "1"))) == null;
            }
            return post(client, index, "/v3/kv/put", "{\"key\":\"aGVhbHRo\",\"value\":\"MQ==\"}").statusCode() == 200;
        }

        @Override
        protected List<String> command() {
            if (initialCluster == null) {
                // Fixed at the first start: a restarted member ignores it anyway, and learners come later.
                initialCluster = EtcdCluster.this.initialCluster();
            }
            String client = endpoint().toString();
            List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--name", name(),
                    "--data-dir", directory().resolve("data").toString(),
                    "--listen-client-urls", client, "--advertise-client-urls", client,
                    "--listen-peer-urls", peerUrl(), "--initial-advertise-peer-urls", peerUrl(),
                    "--initial-cluster", initialCluster, "--initial-cluster-state", clusterState,
                    "--initial-cluster-token", dataRoot.getFileName().toString()));
            command.addAll(options);
            command.addAll(memberOptions);
            return command;
        }
    }

    /** What a cluster is started with; {@link #start()} starts every member and waits until the cluster serves writes. */
    public static final class Builder {

        private final int size;

        private final List<Placement> placements = new ArrayList<>();

        private final List<List<String>> memberOptions = new ArrayList<>();

        private final List<String> options = new ArrayList<>();

        private String scheme = "http";

        private @Nullable SSLContext sslContext;

        private @Nullable Path consoleLogs;

        private Builder(int size) {
            this.size = size;
            for (int i = 0; i < size; i++) {
                placements.add(Placement.LOOPBACK);
                memberOptions.add(List.of());
            }
        }

        /** Further options for every member, such as {@code --experimental-watch-progress-notify-interval 1s}. */
        public Builder options(String... options) {
            this.options.addAll(List.of(options));
            return this;
        }

        /** Member {@code member} runs where {@code placement} says, with {@code options} of its own. */
        public Builder member(int member, Placement placement, String... options) {
            placements.set(member, placement);
            memberOptions.set(member, List.of(options));
            return this;
        }

        /** Clients are served over TLS with {@code certificate} and {@code key}; {@code trust} trusts them (for the health checks). */
        public Builder tls(Path certificate, Path key, SSLContext trust) {
            scheme = "https";
            sslContext = trust;
            options.addAll(List.of("--cert-file", certificate.toString(), "--key-file", key.toString()));
            return this;
        }

        /**
         * Clients are served over TLS with the server certificate of {@code certificates}, and only
         * clients presenting a certificate signed by their CA are accepted ({@code --client-cert-auth}).
         */
        public Builder tlsWithClientCertificates(TestCertificates certificates) throws IOException {
            try {
                tls(certificates.serverCertificate(), certificates.serverKey(), certificates.sslContext(true));
            }
            catch (GeneralSecurityException ex) {
                throw new IOException("cannot load the test certificates", ex);
            }
            options.addAll(List.of("--client-cert-auth", "--trusted-ca-file", certificates.caCertificate().toString()));
            return this;
        }

        /** Member {@code i}'s log goes to {@code etcd-n<i>.log} in {@code directory}, which outlives {@link EtcdCluster#close()}. */
        public Builder consoleLogs(Path directory) {
            this.consoleLogs = directory;
            return this;
        }

        public EtcdCluster start() throws IOException {
            ServerProcess.requireExecutable(BINARY, "install it with 'apt-get install -y etcd-server etcd-client'");
            EtcdCluster cluster = new EtcdCluster(Files.createTempDirectory("leader-etcd"), scheme, sslContext, List.copyOf(options),
                    consoleLogs);
            try {
                for (int i = 0; i < size; i++) {
                    cluster.members.add(cluster.new Member(i, placements.get(i), memberOptions.get(i)));
                }
                for (Member member : cluster.members) {
                    member.launch();
                }
                cluster.awaitHealthy();
            }
            catch (IOException | RuntimeException | Error ex) {
                cluster.close();
                throw ex;
            }
            return cluster;
        }
    }
}
