package dev.leader.fault;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import dev.leader.autoconfigure.BackendType;
import dev.leader.testsupport.ServerProcess;
import dev.leader.testsupport.ZooKeeperEnsemble;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Three ZooKeeper servers in the hub, each a JVM with its own data directory, so that a kill -9 of
 * all of them or of a majority is a real crash and a restart recovers from their transaction logs.
 */
final class ZooKeeperBackend extends ReplicatedBackend {

    private final ZooKeeperEnsemble ensemble;

    private ZooKeeperBackend(ZooKeeperEnsemble ensemble) {
        this.ensemble = ensemble;
    }

    static ZooKeeperBackend start(Lab lab, Path work) throws IOException {
        // tickTime 500 ms: sessions from 1 s, so the 2 s lease is accepted as asked; srvr tells the leader.
        return new ZooKeeperBackend(ZooKeeperEnsemble.builder(3).placement(lab.serverPlacement()).tickMillis(500)
                .config("4lw.commands.whitelist=*").consoleLogs(work).start());
    }

    @Override
    List<ServerProcess> members() {
        return IntStream.range(0, ensemble.size()).mapToObj(ensemble::server).toList();
    }

    /** The server whose {@code srvr} answers "Mode: leader". */
    @Override
    int leaderMember() {
        try {
            return ensemble.leader();
        }
        catch (ConditionTimeoutException ex) {
            System.out.println("[zookeeper] no server says it leads, pausing one at random: " + ex.getMessage());
            return -1;
        }
    }

    @Override
    void restartStopped() throws IOException {
        ensemble.restartStopped();
    }

    @Override
    public BackendType type() {
        return BackendType.ZOOKEEPER;
    }

    @Override
    public List<String> appArguments() {
        return List.of("--leader.backend=" + type().id(), "--leader.zookeeper.connect-string=" + ensemble.connectString());
    }

    @Override
    public void close() {
        try {
            ensemble.close();
        }
        catch (IOException ex) {
            System.out.println("[zookeeper] could not delete the servers' data: " + ex.getMessage());
        }
    }
}
