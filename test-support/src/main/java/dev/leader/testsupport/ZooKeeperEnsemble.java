package dev.leader.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * ZooKeeper servers, each a JVM of its own ({@code QuorumPeerMain} from the ZooKeeper jar on the
 * given class path, by default this JVM's), each with its own data directory, so that a
 * {@code kill -9} of one, of a majority or of all is a real crash and a restart recovers from
 * the transaction logs. One server runs standalone (QuorumPeerMain hands a configuration without
 * peers to ZooKeeperServerMain); three form an ensemble. A server can also listen on a secure
 * client port only, configured by {@code zookeeper.ssl.*} JVM options.
 */
public final class ZooKeeperEnsemble implements AutoCloseable {

    private final Path directory;

    private final List<Member> members = new ArrayList<>();

    private ZooKeeperEnsemble(Path directory) {
        this.directory = directory;
    }

    /** {@code size} servers on loopback with a 100 ms tick, each accepting clients. */
    public static ZooKeeperEnsemble start(int size) throws IOException {
        return builder(size).start();
    }

    public static Builder builder(int size) {
        return new Builder(size);
    }

    /** {@code 127.0.0.1:p1,127.0.0.1:p2,…} */
    public String connectString() {
        return members.stream().map(member -> member.address() + ":" + member.port()).collect(Collectors.joining(","));
    }

    /** Server {@code i} (from 0): its client port, pid, {@code kill9}, {@code pause}, {@code restart}. */
    public ServerProcess server(int i) {
        return members.get(i);
    }

    public int size() {
        return members.size();
    }

    /** Restarts every stopped server on its old port and data, all at once, and waits until each accepts clients. */
    public void restartStopped() throws IOException {
        List<Member> stopped = members.stream().filter(member -> !member.isRunning()).toList();
        for (Member member : stopped) {
            member.launch();
        }
        for (Member member : stopped) {
            member.awaitAnswering();
        }
    }

    /**
     * The server that leads the ensemble, once one says so: its {@code srvr} four-letter word,
     * asked from where it runs, answers {@code Mode: leader}. Needs {@code srvr} in
     * {@code 4lw.commands.whitelist} (see {@link Builder#config}) and a plain client port.
     */
    public int leader() {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (int i = 0; i < members.size(); i++) {
                if (members.get(i).isRunning() && members.get(i).srvr().contains("Mode: leader")) {
                    return i;
                }
            }
            return -1;
        }, server -> server >= 0);
    }

    @Override
    public void close() throws IOException {
        for (Member member : members) {
            member.close();
        }
        ServerProcess.deleteTree(directory);
    }

    private static final class Member extends ServerProcess {

        private final List<String> jvmOptions;

        private final String classpath;

        Member(Path directory, Placement placement, List<String> jvmOptions, String classpath, @Nullable Path consoleLog)
                throws IOException {
            super(directory, placement, consoleLog);
            this.jvmOptions = jvmOptions;
            this.classpath = classpath;
        }

        /** What {@code srvr} answers; empty when the server does not (not serving, or not whitelisted). */
        String srvr() {
            try {
                return run(placement().command(List.of("bash", "-c", "exec 3<>/dev/tcp/" + address() + "/" + port()
                        + " && echo srvr >&3 && timeout 2 cat <&3")), Duration.ofSeconds(5));
            }
            catch (IOException ex) {
                return "";
            }
        }

        @Override
        protected List<String> command() {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", classpath, "org.apache.zookeeper.server.quorum.QuorumPeerMain",
                    directory().resolve("zoo.cfg").toString()));
            return command;
        }
    }

    /** What the servers are started with; {@link #start()} starts them and waits until each accepts clients. */
    public static final class Builder {

        private final int size;

        private int tickMillis = 100;

        private Placement placement = Placement.LOOPBACK;

        private final List<String> jvmOptions = new ArrayList<>(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1"));

        private final List<String> config = new ArrayList<>();

        private String classpath = System.getProperty("java.class.path");

        private boolean secure;

        private @Nullable Path consoleLogs;

        private Builder(int size) {
            this.size = size;
        }

        /** The tick: sessions from 2 ticks to 60 s are accepted. */
        public Builder tickMillis(int tickMillis) {
            this.tickMillis = tickMillis;
            return this;
        }

        /** The JVM options instead of {@code -Xmx128m -XX:TieredStopAtLevel=1}. */
        public Builder jvmOptions(String... options) {
            jvmOptions.clear();
            jvmOptions.addAll(List.of(options));
            return this;
        }

        /** Further JVM options, such as {@code -Dzookeeper.ssl.keyStore.location=…}. */
        public Builder addJvmOptions(String... options) {
            jvmOptions.addAll(List.of(options));
            return this;
        }

        /** Further {@code zoo.cfg} lines, such as {@code 4lw.commands.whitelist=mntr}. */
        public Builder config(String... lines) {
            config.addAll(List.of(lines));
            return this;
        }

        /** The class path holding the ZooKeeper server, when this JVM's is not the one. */
        public Builder classpath(String classpath) {
            this.classpath = classpath;
            return this;
        }

        /** Only a secure client port (Netty), configured by {@code zookeeper.ssl.*} options given to {@link #addJvmOptions}. */
        public Builder secure() {
            secure = true;
            jvmOptions.add("-Dzookeeper.serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory");
            return this;
        }

        /** Every server runs through a command prefix (a network namespace), bound to an address there. */
        public Builder placement(Placement placement) {
            this.placement = placement;
            return this;
        }

        /** Server {@code i}'s log goes to {@code zookeeper-<i+1>.log} in {@code directory}, which outlives {@link ZooKeeperEnsemble#close()}. */
        public Builder consoleLogs(Path directory) {
            this.consoleLogs = directory;
            return this;
        }

        public ZooKeeperEnsemble start() throws IOException {
            ZooKeeperEnsemble ensemble = new ZooKeeperEnsemble(Files.createTempDirectory("leader-zk-ensemble"));
            try {
                for (int i = 0; i < size; i++) {
                    ensemble.members.add(new Member(Files.createDirectories(ensemble.directory.resolve("server" + (i + 1))), placement,
                            List.copyOf(jvmOptions), classpath,
                            consoleLogs == null ? null : consoleLogs.resolve("zookeeper-" + (i + 1) + ".log")));
                }
                List<String> peers = new ArrayList<>();
                if (size > 1) {
                    for (int i = 0; i < size; i++) {
                        peers.add("server." + (i + 1) + "=" + placement.address() + ":" + ServerProcess.freePort() + ":"
                                + ServerProcess.freePort());
                    }
                }
                for (int i = 0; i < size; i++) {
                    writeConfig(ensemble.members.get(i), i + 1, peers);
                }
                for (Member member : ensemble.members) {
                    member.launch();
                }
                for (Member member : ensemble.members) {
                    member.awaitAnswering();
                }
            }
            catch (IOException | RuntimeException | Error ex) {
                ensemble.close();
                throw ex;
            }
            return ensemble;
        }

        private void writeConfig(Member member, int id, List<String> peers) throws IOException {
            Path data = Files.createDirectories(member.directory().resolve("data"));
            Files.writeString(data.resolve("myid"), Integer.toString(id));
            String port = Integer.toString(member.port());
            List<String> lines = new ArrayList<>(List.of("tickTime=" + tickMillis, "initLimit=20", "syncLimit=5", "dataDir=" + data,
                    secure ? "secureClientPort=" + port : "clientPort=" + port,
                    (secure ? "secureClientPortAddress=" : "clientPortAddress=") + placement.address(),
                    "minSessionTimeout=" + 2 * tickMillis, "maxSessionTimeout=60000", "admin.enableServer=false",
                    "metricsProvider.exportJvmInfo=false"));
            lines.addAll(config);
            lines.addAll(peers);
            Files.writeString(member.directory().resolve("zoo.cfg"), String.join("\n", lines) + "\n");
        }
    }
}
