package dev.leader.fault;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Three etcd members, each with its own data directory: a restart after kill -9 rejoins the
 * cluster from its write-ahead log (the initial-cluster flags are then ignored, as etcd documents).
 */
final class EtcdCluster extends ReplicatedBackend {

    private static final int SIZE = 3;

    private static final String ETCDCTL = "/usr/bin/etcdctl";

    private final Lab lab;

    private final String endpoints;

    private EtcdCluster(Lab lab, Members members, String endpoints) {
        super(members);
        this.lab = lab;
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
        return new EtcdCluster(lab, new Members(processes), String.join(",", clients));
    }

    /** The raft leader, as {@code etcdctl endpoint status} reports it: the endpoint whose member id is the leader's. */
    @Override
    Optional<ServerProcess> leaderMember() {
        String status = lab.outputInHub(List.of(ETCDCTL, "--endpoints=" + endpoints, "--command-timeout=2s", "endpoint", "status",
                "-w", "fields"));
        // Per endpoint: "MemberID", then "Leader", then "Endpoint" : "http://...".
        Matcher endpoint = Pattern.compile("\"MemberID\" : (\\d+)[\\s\\S]*?\"Leader\" : (\\d+)[\\s\\S]*?\"Endpoint\" : \"[^\"]*:(\\d+)\"")
                .matcher(status);
        while (endpoint.find()) {
            if (endpoint.group(1).equals(endpoint.group(2))) {
                int port = Integer.parseInt(endpoint.group(3));
                return members().all().stream().filter(m -> m.port() == port).findFirst();
            }
        }
        return Optional.empty();
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
