package dev.leader.zookeeper;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

/**
 * A real standalone ZooKeeper server, in this JVM, on a free loopback port. A short tick lets
 * tests use sessions of about a second (the server accepts 2 to 20 ticks unless told otherwise).
 */
public final class ZooKeeperTestServer implements AutoCloseable {

    static final int TICK_MILLIS = 50;

    private final Path directory;

    private final int port;

    private ZooKeeperServer server;

    private ServerCnxnFactory factory;

    public ZooKeeperTestServer() throws IOException, InterruptedException {
        this(freePort());
    }

    ZooKeeperTestServer(int port) throws IOException, InterruptedException {
        this.directory = Files.createTempDirectory("zk-test");
        this.port = port;
        start();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public void start() throws IOException, InterruptedException {
        File dir = directory.toFile();
        server = new ZooKeeperServer(dir, dir, TICK_MILLIS);
        server.setMinSessionTimeout(2 * TICK_MILLIS);
        server.setMaxSessionTimeout(60_000);
        factory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", port), 1000);
        factory.startup(server);
    }

    public void stop() {
        factory.shutdown();
        server.shutdown();
    }

    public int port() {
        return port;
    }

    /** The paths some session watches (data and exists watches), as the server keeps them. */
    Set<String> watchedPaths() {
        return server.getZKDatabase().getDataTree().getWatchesByPath().toMap().keySet();
    }

    /** How many sessions watch the data of {@code path}. */
    int watchers(String path) {
        return server.getZKDatabase().getDataTree().getWatchesByPath().toMap().getOrDefault(path, Set.of()).size();
    }

    public String connectString() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        stop();
    }
}
