package dev.leader.fault;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Three etcd members, each with its own data directory: a restart after kill -9 rejoins the
 * cluster from its write-ahead log (the initial-cluster flags are then ignored, as etcd documents).
 */
final class EtcdCluster extends ReplicatedBackend {

    private static final int SIZE = 3;

    private final String endpoints;

    private EtcdCluster(Members members, String endpoints) {
        super(members);
        this.endpoints = endpoints;
    }

    static EtcdCluster create(Lab lab, Path work) {
        String etcd = Binaries.require("/usr/bin/etcd", "etcd-server");
        String address = lab.serverAddress();
        List<String> clients = new ArrayList<>();
        List<String> peers = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            clients.add("http://" + address + ":" + Ports.free());
            peers.add("http://" + address + ":" + Ports.free());
        }
        String cluster = IntStream.range(0, SIZE).mapToObj(i -> "m" + i + "=" + peers.get(i)).collect(Collectors.joining(","));
        List<ServerProcess> processes = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            int clientPort = Integer.parseInt(clients.get(i).substring(clients.get(i).lastIndexOf(':') + 1));
            processes.add(new ServerProcess(lab, List.of(etcd, "--name", "m" + i, "--data-dir", work.resolve("etcd" + i).toString(),
                    "--listen-client-urls", clients.get(i), "--advertise-client-urls", clients.get(i), "--listen-peer-urls",
                    peers.get(i), "--initial-advertise-peer-urls", peers.get(i), "--initial-cluster", cluster,
                    "--initial-cluster-state", "new", "--initial-cluster-token", "fault-suite"), work.resolve("etcd" + i + ".log"),
                    clientPort));
        }
        return new EtcdCluster(new Members(processes), String.join(",", clients));
    }

    @Override
    public String name() {
        return "etcd";
    }

    @Override
    public List<String> appArguments() {
        return List.of("--leader.backend=etcd", "--leader.etcd.endpoints=" + endpoints);
    }
}
