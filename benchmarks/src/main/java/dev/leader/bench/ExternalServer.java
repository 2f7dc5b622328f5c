package dev.leader.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server binary (redis-server, etcd, a ZooKeeper JVM) run as a child process on a loopback
 * port for one benchmark run. A missing binary fails with a message naming the package.
 */
public final class ExternalServer implements AutoCloseable {

    private final Process process;

    private final int port;

    private ExternalServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts {@code command} and waits until {@code port} on 127.0.0.1 accepts connections. */
    static ExternalServer start(List<String> command, int port, Path log) throws IOException {
        String binary = command.get(0);
        if (binary.startsWith("/") && !Files.isExecutable(Path.of(binary))) {
            throw new IllegalStateException(binary + " is missing: install it (scripts/test.sh installs redis-server, etcd-server)");
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ExternalServer server = new ExternalServer(process, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!server.accepts()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                server.close();
                throw new IllegalStateException(command + " did not listen on 127.0.0.1:" + port + "; see " + log);
            }
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException ex) {
                server.close();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting " + command, ex);
            }
        }
        return server;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** First line of {@code command}'s output, e.g. {@code redis-server --version}. */
    static String version(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes()).trim();
            process.waitFor(10, TimeUnit.SECONDS);
            return out.lines().findFirst().orElse("unknown");
        }
        catch (IOException ex) {
            return "unknown (" + ex.getMessage() + ")";
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        catch (InterruptedException ex) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
