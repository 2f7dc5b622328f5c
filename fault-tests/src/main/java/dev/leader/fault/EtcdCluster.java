package dev.leader.fault;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Three etcd members, each with its own data directory: a restart after kill -9 rejoins the
 * cluster from its write-ahead log (the initial-cluster flags are then ignored, as etcd documents).
 */
final class EtcdCluster implements Backend {

    private static final int SIZE = 3;

    private final Lab lab;

    private final List<Integer> clientPorts = new ArrayList<>();

    private final Members members;

    EtcdCluster(Lab lab, Path work) {
        this.lab = lab;
        String etcd = Binaries.require("/usr/bin/etcd", "etcd-server");
        String address = lab.serverAddress();
        List<Integer> peerPorts = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            clientPorts.add(Ports.free());
            peerPorts.add(Ports.free());
        }
        String cluster = java.util.stream.IntStream.range(0, SIZE)
                .mapToObj(i -> "m" + i + "=http://" + address + ":" + peerPorts.get(i)).collect(Collectors.joining(","));
        List<ServerProcess> processes = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            String client = "http://" + address + ":" + clientPorts.get(i);
            String peer = "http://" + address + ":" + peerPorts.get(i);
            processes.add(new ServerProcess(lab, List.of(etcd, "--name", "m" + i, "--data-dir", work.resolve("etcd" + i).toString(),
                    "--listen-client-urls", client, "--advertise-client-urls", client, "--listen-peer-urls", peer,
                    "--initial-advertise-peer-urls", peer, "--initial-cluster", cluster, "--initial-cluster-state", "new",
                    "--initial-cluster-token", "fault-suite"), work.resolve("etcd" + i + ".log"), clientPorts.get(i)));
        }
        this.members = new Members(processes);
    }

    @Override
    public String name() {
        return "etcd";
    }

    @Override
    public void start() throws IOException {
        members.start();
    }

    @Override
    public List<String> appArguments() {
        String endpoints = clientPorts.stream().map(p -> "http://" + lab.serverAddress() + ":" + p).collect(Collectors.joining(","));
        return List.of("--leader.backend=etcd", "--leader.etcd.endpoints=" + endpoints);
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
