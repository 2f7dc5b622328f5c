package dev.leader.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A redis-server child process without persistence on a free loopback port. */
public final class RedisServers {

    public static final String BINARY = "/usr/bin/redis-server";

    private RedisServers() {
    }

    /** A running redis-server. */
    public record Server(ExternalServer process, String version) implements AutoCloseable {

        public int port() {
            return process.port();
        }

        /** Sum of {@code calls=} over {@code INFO commandstats}, less this INFO call itself. */
        public long commandsServed() {
            String stats = ServerStats.ask(port(), "*2\r\n$4\r\nINFO\r\n$12\r\ncommandstats\r\n", "\r\n\r\n");
            long calls = 0;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("calls=(\\d+)").matcher(stats);
            while (m.find()) {
                calls += Long.parseLong(m.group(1));
            }
            return calls - 1;
        }

        @Override
        public void close() {
            process.close();
        }
    }

    public static Server start(Path directory) throws IOException {
        int port = ExternalServer.freePort();
        ExternalServer process = ExternalServer.start(List.of(BINARY, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", directory.toString()), port, directory.resolve("redis.log"));
        String version = ExternalServer.version(BINARY, "--version");
        // "Redis server v=7.0.15 sha=... malloc=..." -> "Redis 7.0.15"
        java.util.regex.Matcher number = java.util.regex.Pattern.compile("v=(\\S+)").matcher(version);
        return new Server(process, number.find() ? "Redis " + number.group(1) : version);
    }
}
