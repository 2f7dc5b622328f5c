package dev.leader.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Three ZooKeeper servers ({@code QuorumPeerMain} from the ZooKeeper jar on this class path),
 * each with its own data directory, so that a kill -9 of all of them or of a majority is a real
 * crash and a restart recovers from their transaction logs.
 */
final class ZooKeeperEnsemble extends ReplicatedBackend {

    private static final int SIZE = 3;

    private final Lab lab;

    private final String connectString;

    private ZooKeeperEnsemble(Lab lab, Members members, String connectString) {
        super(members);
        this.lab = lab;
        this.connectString = connectString;
    }

    static ZooKeeperEnsemble create(Lab lab, Path work) throws IOException {
        String address = lab.serverAddress();
        List<Integer> clientPorts = new ArrayList<>();
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
        String connect = clientPorts.stream().map(p -> address + ":" + p).collect(Collectors.joining(","));
        return new ZooKeeperEnsemble(lab, new Members(processes), connect);
    }

    /** The ensemble's leader: the member whose {@code srvr} four-letter word answers "Mode: leader". */
    @Override
    Optional<ServerProcess> leaderMember() {
        for (ServerProcess member : members().all()) {
            String srvr = lab.outputInHub(List.of("bash", "-c", "exec 3<>/dev/tcp/" + lab.serverAddress() + "/" + member.port()
                    + " && echo srvr >&3 && timeout 2 cat <&3"));
            if (srvr.contains("Mode: leader")) {
                return Optional.of(member);
            }
        }
        return Optional.empty();
    }

    @Override
    public String name() {
        return "zookeeper";
    }

    @Override
    public List<String> appArguments() {
        return List.of("--leader.backend=zookeeper", "--leader.zookeeper.connect-string=" + connectString);
    }
}
