package dev.leader.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.leader.testsupport.RedisServer;

/** A redis-server without persistence on a free loopback port (test-support's starter), and the statistics the harness reads. */
public final class RedisServers {

    private RedisServers() {
    }

    /** A running redis-server. */
    public record Server(RedisServer process, String version) implements AutoCloseable {

        public int port() {
            return process.port();
        }

        /** Sum of {@code calls=} over {@code INFO commandstats}, less this INFO call itself. */
        public long commandsServed() {
            String stats = ServerStats.ask(port(), "*2\r\n$4\r\nINFO\r\n$12\r\ncommandstats\r\n", "\r\n\r\n");
            long calls = 0;
            Matcher m = Pattern.compile("calls=(\\d+)").matcher(stats);
            while (m.find()) {
                calls += Long.parseLong(m.group(1));
            }
            return calls - 1;
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
        return new Server(RedisServer.start(), RedisServer.version());
    }
}
