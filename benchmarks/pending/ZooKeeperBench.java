package dev.leader.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.apache.zookeeper.Version;

import dev.leader.zookeeper.ZooKeeperBackendSettings;
import dev.leader.zookeeper.ZooKeeperElectionBackend;

/**
 * ZooKeeper: a standalone server in a JVM of its own (ZooKeeperServerMain) with a 200 ms tick,
 * so that a 2 s session (the lease) is within its 2..20 tick bounds.
 */
final class ZooKeeperBench implements BenchBackend {

    static final int TICK_MILLIS = 200;

    @Override
    public String type() {
        return "zookeeper";
    }

    @Override
    public BenchServer start(Path workDir) throws IOException {
        Path data = Files.createDirectories(workDir.resolve("data"));
        int port = ExternalServer.freePort();
        ExternalServer server = ExternalServer.start(JvmClasspath.current().java(List.of("-Xmx256m",
                "-Dzookeeper.admin.enableServer=false", "-Dzookeeper.4lw.commands.whitelist=mntr,srvr"),
                "org.apache.zookeeper.server.ZooKeeperServerMain", List.of(Integer.toString(port), data.toString(),
                        Integer.toString(TICK_MILLIS))), port, workDir.resolve("zookeeper.log"));
        return new BenchServer() {
            @Override
            public String address() {
                return "127.0.0.1:" + port;
            }

            @Override
            public String description() {
                return "ZooKeeper " + Version.getFullVersion() + " standalone, tickTime " + TICK_MILLIS + " ms, loopback";
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }

    @Override
    public Contenders connect(String address, Duration lease) {
        return Contenders.of(new ZooKeeperElectionBackend(ZooKeeperBackendSettings.builder(address).leaseDuration(lease).build()));
    }

    @Override
    public Duration lease(Duration requested) {
        return requested;
    }
}
