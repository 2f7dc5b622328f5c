package dev.leader.fault;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import dev.leader.autoconfigure.BackendType;
import dev.leader.testsupport.EtcdCluster;
import dev.leader.testsupport.ServerProcess;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Three etcd members in the hub, each with its own data directory: a restart after kill -9 rejoins
 * the cluster from its write-ahead log (the initial-cluster flags are then ignored, as etcd documents).
 */
final class EtcdBackend extends ReplicatedBackend {

    private final EtcdCluster cluster;

    private EtcdBackend(EtcdCluster cluster) {
        this.cluster = cluster;
    }

    static EtcdBackend start(Lab lab, Path work) throws IOException {
        EtcdCluster.Builder builder = EtcdCluster.builder(3).consoleLogs(work);
        for (int i = 0; i < 3; i++) {
            builder.member(i, lab.serverPlacement());
        }
        return new EtcdBackend(builder.start());
    }

    @Override
    List<ServerProcess> members() {
        return IntStream.range(0, 3).mapToObj(cluster::member).toList();
    }

    /** The raft leader, as {@code etcdctl endpoint status} in the hub reports it. */
    @Override
    int leaderMember() {
        try {
            return cluster.raftLeader();
        }
        catch (ConditionTimeoutException ex) {
            System.out.println("[etcd] no raft leader agreed on, pausing a member at random: " + ex.getMessage());
            return -1;
        }
    }

    @Override
    void restartStopped() throws IOException {
        cluster.restartStopped();
    }

    @Override
    public BackendType type() {
        return BackendType.ETCD;
    }

    @Override
    public List<String> appArguments() {
        return List.of("--leader.backend=" + type().id(),
                "--leader.etcd.endpoints=" + cluster.endpoints().stream().map(URI::toString).collect(Collectors.joining(",")));
    }

    @Override
    public void close() {
        try {
            cluster.close();
        }
        catch (IOException ex) {
            System.out.println("[etcd] could not delete the members' data: " + ex.getMessage());
        }
    }
}
