package dev.leader.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.leader.testsupport.ZooKeeperEnsemble;
import org.apache.zookeeper.Version;

/**
 * A standalone ZooKeeper server in a JVM of its own (ZooKeeperServerMain) on a free loopback
 * port, with a 200 ms tick so that a 2 s session is within its 2..20 tick bounds.
 */
public final class ZooKeeperServers {

    public static final int TICK_MILLIS = 200;

    private static final Pattern MNTR_LINE = Pattern.compile("^(zk_\\S+)\\s+(-?\\d+)$", Pattern.MULTILINE);

    private static final Pattern TOTAL_WATCHES = Pattern.compile("Total watches:\\s*(\\d+)");

    private ZooKeeperServers() {
    }

    /** A running ZooKeeper server; requests served are its {@code zk_packets_received}. */
    public record Server(ZooKeeperEnsemble process, String description) implements BenchBackend.BenchServer {

        /** The same server, described with what runs on it (an anchor library's version). */
        Server describedAs(String more) {
            return new Server(process, description + more);
        }

        /** Every integer metric of the {@code mntr} four-letter word. */
        Map<String, Long> monitor() {
            Map<String, Long> metrics = new LinkedHashMap<>();
            Matcher m = MNTR_LINE.matcher(ServerStats.ask(port(), "mntr", null));
            while (m.find()) {
                metrics.put(m.group(1), Long.parseLong(m.group(2)));
            }
            if (!metrics.containsKey("zk_packets_received")) {
                throw new IllegalStateException("no zk_packets_received in mntr of " + connectString());
            }
            return metrics;
        }

        /** Watches the server holds now, from the {@code wchs} four-letter word. */
        long watches() {
            String wchs = ServerStats.ask(port(), "wchs", null);
            Matcher m = TOTAL_WATCHES.matcher(wchs);
            if (!m.find()) {
                throw new IllegalStateException("no total in wchs of " + connectString() + ": " + wchs);
            }
            return Long.parseLong(m.group(1));
        }

        /** {@code zk_packets_received} from the {@code mntr} four-letter word. */
        public long packetsReceived() {
            return monitor().get("zk_packets_received");
        }

        public String connectString() {
            return process.connectString();
        }

        private int port() {
            return process.server(0).port();
        }

        @Override
        public String address() {
            return connectString();
        }

        @Override
        public long requestsServed() {
            return packetsReceived();
        }

        @Override
        public Optional<Server> zooKeeper() {
            return Optional.of(this);
        }

        @Override
        public void close() {
            try {
                process.close();
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }

    public static Server start() throws IOException {
        ZooKeeperEnsemble process = ZooKeeperEnsemble.builder(1).tickMillis(TICK_MILLIS).classpath(JvmClasspath.current().value())
                .jvmOptions("-Xmx256m", "-XX:+UseSerialGC").config("4lw.commands.whitelist=mntr,srvr,wchs",
                        // The herd's candidates all come from 127.0.0.1: more than ZooKeeper's default of 60.
                        "maxClientCnxns=0").start();
        return new Server(process, "ZooKeeper " + Version.getFullVersion().split("[- ,]")[0] + " standalone (own JVM, -Xmx256m), tickTime "
                + TICK_MILLIS + " ms, loopback");
    }
}
