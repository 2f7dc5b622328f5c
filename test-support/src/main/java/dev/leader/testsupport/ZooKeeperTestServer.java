package dev.leader.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.jspecify.annotations.Nullable;

/**
 * A standalone ZooKeeper server in this JVM, on a free loopback port, its data in a temp
 * directory of its own that survives {@link #stop()} and {@link #start()}. A short tick lets tests
 * use sessions of about a second (the server accepts 2 to 20 ticks unless told otherwise). The
 * caller brings the ZooKeeper jar (test-support declares it {@code provided}); for a server in a
 * JVM of its own, or several, see {@link ZooKeeperEnsemble}.
 */
public final class ZooKeeperTestServer implements AutoCloseable {

    public static final int TICK_MILLIS = 50;

    private final Path directory;

    private final int port;

    private @Nullable ZooKeeperServer server;

    private @Nullable ServerCnxnFactory factory;

    /** Starts a server on a free port. */
    public ZooKeeperTestServer() throws IOException, InterruptedException {
        this(ServerProcess.freePort());
    }

    /** Starts a server on {@code port}, such as the port of one that was closed. */
    public ZooKeeperTestServer(int port) throws IOException, InterruptedException {
        this.directory = Files.createTempDirectory("leader-zookeeper");
        this.port = port;
        start();
    }

    /** Starts the server (again, after {@link #stop()}) on its port and data. */
    public void start() throws IOException, InterruptedException {
        File dir = directory.toFile();
        ZooKeeperServer started = new ZooKeeperServer(dir, dir, TICK_MILLIS);
        started.setMinSessionTimeout(2 * TICK_MILLIS);
        started.setMaxSessionTimeout(60_000);
        ServerCnxnFactory listening = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", port), 1000);
        listening.startup(started);
        server = started;
        factory = listening;
    }

    /** Shuts the server down, closing every connection; its data stays. */
    public void stop() {
        if (factory != null) {
            factory.shutdown();
            factory = null;
        }
        if (server != null) {
            server.shutdown();
            server = null;
        }
    }

    public int port() {
        return port;
    }

    public String connectString() {
        return "127.0.0.1:" + port;
    }

    /** The paths some session watches (data and exists watches), as the server keeps them. */
    public Set<String> watchedPaths() {
        return running().getZKDatabase().getDataTree().getWatchesByPath().toMap().keySet();
    }

    /** How many sessions watch the data of {@code path}. */
    public int watchers(String path) {
        return running().getZKDatabase().getDataTree().getWatchesByPath().toMap().getOrDefault(path, Set.of()).size();
    }

    private ZooKeeperServer running() {
        ZooKeeperServer running = server;
        if (running == null) {
            throw new IllegalStateException("the ZooKeeper server on port " + port + " is stopped");
        }
        return running;
    }

    /** Stops the server and deletes its data. */
    @Override
    public void close() {
        stop();
        try {
            ServerProcess.deleteTree(directory);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot delete " + directory, ex);
        }
    }
}
