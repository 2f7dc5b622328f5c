package dev.leader.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.zookeeper.Version;

/**
 * A standalone ZooKeeper server in a JVM of its own (ZooKeeperServerMain) on a free loopback
 * port, with a 200 ms tick so that a 2 s session is within its 2..20 tick bounds.
 */
public final class ZooKeeperServers {

    public static final int TICK_MILLIS = 200;

    private ZooKeeperServers() {
    }

    /** A running ZooKeeper server. */
    public record Server(ExternalServer process, String description) implements AutoCloseable {

        /** {@code zk_packets_received} from the {@code mntr} four-letter word. */
        public long packetsReceived() {
            String mntr = ServerStats.ask(process.port(), "mntr", null);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("zk_packets_received\\s+(\\d+)").matcher(mntr);
            if (!m.find()) {
                throw new IllegalStateException("no zk_packets_received in mntr: " + mntr);
            }
            return Long.parseLong(m.group(1));
        }

        public String connectString() {
            return "127.0.0.1:" + process.port();
        }

        @Override
        public void close() {
            process.close();
        }
    }

    public static Server start(Path directory) throws IOException {
        Path data = Files.createDirectories(directory.resolve("zk-data"));
        int port = ExternalServer.freePort();
        ExternalServer process = ExternalServer.start(JvmClasspath.current().java(List.of("-Xmx256m", "-XX:+UseSerialGC",
                "-Dzookeeper.admin.enableServer=false", "-Dzookeeper.4lw.commands.whitelist=mntr,srvr"),
                "org.apache.zookeeper.server.ZooKeeperServerMain",
                List.of(Integer.toString(port), data.toString(), Integer.toString(TICK_MILLIS))), port, directory.resolve("zookeeper.log"));
        return new Server(process, "ZooKeeper " + Version.getFullVersion().split("[- ,]")[0] + " standalone (own JVM, -Xmx256m), tickTime "
                + TICK_MILLIS + " ms, loopback");
    }
}
