package dev.leader.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import dev.leader.autoconfigure.BackendType;
import dev.leader.election.ElectionBackend;
import dev.leader.zookeeper.ZooKeeperBackendSettings;
import dev.leader.zookeeper.ZooKeeperElectionBackend;

/** Our ZooKeeper backend on a standalone server JVM ({@link ZooKeeperServers}), session = lease. */
final class ZooKeeperBench implements OurBench {

    @Override
    public BackendType backend() {
        return BackendType.ZOOKEEPER;
    }

    @Override
    public BenchServer start(Path workDir) throws IOException {
        return ZooKeeperServers.start();
    }

    @Override
    public ElectionBackend electionBackend(String address, Duration lease) {
        return new ZooKeeperElectionBackend(ZooKeeperBackendSettings.builder(address).leaseDuration(lease).build());
    }

    @Override
    public Duration lease(Duration requested) {
        return requested;
    }
}
