package dev.leader.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Three ZooKeeper servers ({@code QuorumPeerMain} from the ZooKeeper jar on this class path),
 * each with its own data directory, so that a kill -9 of all of them or of a majority is a real
 * crash and a restart recovers from their transaction logs.
 */
final class ZooKeeperEnsemble implements Backend {

    private static final int SIZE = 3;

    private final Lab lab;

    private final List<Integer> clientPorts = new ArrayList<>();

    private final Members members;

    ZooKeeperEnsemble(Lab lab, Path work) throws IOException {
        this.lab = lab;
        String address = lab.serverAddress();
        List<String> servers = new ArrayList<>();
        for (int i = 1; i <= SIZE; i++) {
            clientPorts.add(Ports.free());
            servers.add("server." + i + "=" + address + ":" + Ports.free() + ":" + Ports.free());
        }
        List<ServerProcess> processes = new ArrayList<>();
        for (int i = 1; i <= SIZE; i++) {
            Path dir = Files.createDirectories(work.resolve("zk" + i));
            Files.writeString(dir.resolve("myid"), String.valueOf(i));
            Path config = dir.resolve("zoo.cfg");
            // tickTime 500 ms: sessions of 1 s to 10 s, so the 2 s lease is accepted as asked.
            Files.writeString(config, String.join("\n", "tickTime=500", "initLimit=10", "syncLimit=5", "dataDir=" + dir,
                    "clientPort=" + clientPorts.get(i - 1), "clientPortAddress=" + address, "admin.enableServer=false",
                    "4lw.commands.whitelist=*", String.join("\n", servers)) + "\n");
            processes.add(new ServerProcess(lab, List.of(Binaries.java(), "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
                    System.getProperty("java.class.path"), "-Dzookeeper.admin.enableServer=false",
                    "org.apache.zookeeper.server.quorum.QuorumPeerMain", config.toString()), work.resolve("zk" + i + ".log"),
                    clientPorts.get(i - 1)));
        }
        this.members = new Members(processes);
    }

    @Override
    public String name() {
        return "zookeeper";
    }

    @Override
    public void start() throws IOException {
        members.start();
    }

    @Override
    public List<String> appArguments() {
        String connect = clientPorts.stream().map(p -> lab.serverAddress() + ":" + p).collect(Collectors.joining(","));
        return List.of("--leader.backend=zookeeper", "--leader.zookeeper.connect-string=" + connect);
    }

    @Override
    public Set<FaultKind> faults() {
        return EnumSet.allOf(FaultKind.class);
    }

    @Override
    public void crash() {
        members.crash();
    }

    @Override
    public void loseQuorum(Random random) {
        members.loseQuorum(random);
    }

    @Override
    public void recover() throws IOException {
        members.recover();
    }

    @Override
    public void close() {
        members.close();
    }
}
