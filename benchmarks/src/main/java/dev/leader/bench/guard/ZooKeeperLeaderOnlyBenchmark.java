package dev.leader.bench.guard;

import dev.leader.testsupport.ZooKeeperTestServer;

/**
 * {@link LeaderOnlyBenchmark} on the ZooKeeper backend (a server in this JVM), as leader: its
 * {@code isLeader()} is the state and the lease deadline on the monotonic clock, where the local
 * backend's also asks the file system whether the lock file is still the one it locked (a
 * {@code stat}, about a microsecond). Run with {@code -p role=leader}; a follower's path does
 * not reach the backend.
 */
public class ZooKeeperLeaderOnlyBenchmark extends LeaderOnlyBenchmark {

    @Override
    String[] backend() throws Exception {
        if (!role.equals("leader")) {
            throw new IllegalStateException("run with -p role=leader");
        }
        ZooKeeperTestServer server = new ZooKeeperTestServer();
        resources.add(server);
        return new String[] { "leader.backend=zookeeper", "leader.zookeeper.connect-string=" + server.connectString() };
    }
}
