package dev.leader.zookeeper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.zookeeper.server.quorum.QuorumPeerMain;

/** A 3-node ZooKeeper ensemble, each server a JVM of its own on loopback ports. */
final class ZooKeeperEnsemble implements AutoCloseable {

    private static final int SIZE = 3;

    private final Path directory;

    private final int[] clientPorts = new int[SIZE];

    private final Process[] servers = new Process[SIZE];

    ZooKeeperEnsemble() throws IOException {
        this.directory = Files.createTempDirectory("zk-ensemble");
        List<String> peers = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            clientPorts[i] = ZooKeeperTestServer.freePort();
            peers.add("server." + (i + 1) + "=127.0.0.1:" + ZooKeeperTestServer.freePort() + ":" + ZooKeeperTestServer.freePort());
        }
        for (int i = 0; i < SIZE; i++) {
            Path data = Files.createDirectories(directory.resolve("data" + (i + 1)));
            Files.writeString(data.resolve("myid"), Integer.toString(i + 1));
            Files.writeString(config(i), String.join("\n", List.of(
                    "tickTime=100", "initLimit=20", "syncLimit=5",
                    "dataDir=" + data, "clientPort=" + clientPorts[i], "clientPortAddress=127.0.0.1",
                    "minSessionTimeout=200", "maxSessionTimeout=60000", "admin.enableServer=false",
                    "metricsProvider.exportJvmInfo=false", String.join("\n", peers))) + "\n");
        }
        for (int i = 0; i < SIZE; i++) {
            start(i);
        }
    }

    private Path config(int i) {
        return directory.resolve("zoo" + (i + 1) + ".cfg");
    }

    void start(int i) throws IOException {
        servers[i] = JavaProcesses.java(QuorumPeerMain.class, List.of(config(i).toString()))
                .redirectErrorStream(true)
                .redirectOutput(JavaProcesses.log(directory, "server" + (i + 1)))
                .start();
    }

    Process server(int i) {
        return servers[i];
    }

    String connectString() {
        List<String> hosts = new ArrayList<>();
        for (int port : clientPorts) {
            hosts.add("127.0.0.1:" + port);
        }
        return hosts.stream().collect(Collectors.joining(","));
    }

    @Override
    public void close() throws Exception {
        for (Process server : servers) {
            if (server != null) {
                JavaProcesses.signal(server, "CONT");
                server.destroyForcibly().waitFor();
            }
        }
    }
}
