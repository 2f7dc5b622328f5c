package dev.leader.redis;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import dev.leader.testsupport.TestCertificates;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * A real {@code redis-server} child process on a free loopback port, with its data directory
 * in a test's temp directory. Restarting keeps port and directory, so that AOF data survives.
 * It may run in a network namespace a test made, on an address there.
 */
public final class RedisServerProcess implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/redis-server");

    static {
        quietClientLogs();
    }

    private final Path directory;

    private final boolean appendOnly;

    private final List<String> extraArgs;

    /** Prepended to its command line (such as {@code ip netns exec <namespace>}); empty on the host. */
    private final List<String> prefix;

    private final String address;

    private Path configFile;

    private final int port;

    private Process process;

    /** For a server that speaks only TLS: a context its clients (and the ping) connect with; null for plain TCP. */
    private @Nullable SSLContext tls;

    private final List<String> tlsArgs = new ArrayList<>();

    private RedisServerProcess(Path directory, boolean appendOnly, List<String> extraArgs, List<String> prefix,
            String address) throws IOException {
        this.directory = directory;
        this.appendOnly = appendOnly;
        this.extraArgs = extraArgs;
        this.prefix = prefix;
        this.address = address;
        this.port = freePort();
    }

    private RedisServerProcess(Path directory, boolean appendOnly, List<String> extraArgs) throws IOException {
        this(directory, appendOnly, extraArgs, List.of(), "127.0.0.1");
    }

    /** Starts a server; {@code extraArgs} are further {@code --name value} options. */
    public static RedisServerProcess start(Path directory, boolean appendOnly, String... extraArgs) throws IOException {
        RedisServerProcess server = new RedisServerProcess(directory, appendOnly, List.of(extraArgs));
        server.start();
        return server;
    }

    /**
     * Starts a server without persistence, bound to {@code address}, whose command line starts
     * with {@code prefix} ({@code ip netns exec <namespace>}); it is pinged from there too.
     */
    static RedisServerProcess startIn(List<String> prefix, String address, Path directory) throws IOException {
        RedisServerProcess server = new RedisServerProcess(directory, false, List.of(), List.copyOf(prefix), address);
        server.start();
        return server;
    }

    /**
     * Starts a server that accepts only TLS ({@code --port 0}) on {@link #port()}, with the server
     * certificate of {@code certificates}; with {@code authClients} it asks clients for a
     * certificate signed by their CA.
     */
    public static RedisServerProcess startTls(Path directory, TestCertificates certificates, boolean authClients)
            throws IOException, GeneralSecurityException {
        RedisServerProcess server = new RedisServerProcess(directory, false, List.of());
        server.tls = certificates.sslContext(true);
        server.tlsArgs.addAll(List.of("--port", "0", "--tls-port", Integer.toString(server.port),
                "--tls-cert-file", certificates.serverCertificate().toString(),
                "--tls-key-file", certificates.serverKey().toString(),
                "--tls-ca-cert-file", certificates.caCertificate().toString(),
                "--tls-auth-clients", authClients ? "yes" : "no"));
        server.start();
        return server;
    }

    /** A Sentinel (quorum 1) watching {@code master} under the name {@code mymaster}. */
    public static RedisServerProcess startSentinel(Path directory, RedisServerProcess master) throws IOException {
        RedisServerProcess sentinel = new RedisServerProcess(directory, false, List.of("--sentinel"));
        sentinel.configFile = directory.resolve("sentinel-" + sentinel.port + ".conf");
        Files.writeString(sentinel.configFile, "sentinel monitor mymaster 127.0.0.1 " + master.port() + " 1\n");
        sentinel.start();
        return sentinel;
    }

    public void start() throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError(BINARY + " is missing: install it with 'apt-get install -y redis-server'"
                    + " (the project's test script does)");
        }
        List<String> command = new ArrayList<>(prefix);
        command.add(BINARY.toString());
        if (configFile != null) {
            command.add(configFile.toString());
        }
        command.addAll(List.of("--port", Integer.toString(port),
                "--bind", address, "--save", "", "--appendonly", appendOnly ? "yes" : "no",
                "--appendfsync", "always", "--dir", directory.toString(), "--daemonize", "no"));
        if (!prefix.isEmpty()) {
            // Clients come from other namespaces, not loopback; the namespaces are the test's own.
            command.addAll(List.of("--protected-mode", "no"));
        }
        command.addAll(extraArgs);
        command.addAll(tlsArgs);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("redis-" + port + ".log").toFile()))
                .start();
        try {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(this::answersPing);
        }
        catch (RuntimeException | Error ex) {
            process.destroyForcibly();
            throw ex;
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return (tls == null ? "redis://" : "rediss://") + address + ":" + port;
    }

    long pid() {
        return process.pid();
    }

    /** Where it keeps its data ({@code dump.rdb}, the AOF) and its log. */
    Path directory() {
        return directory;
    }

    /** {@code kill -STOP}: the kernel still accepts connections and acknowledges bytes; nothing answers. */
    void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** {@code kill -CONT}. */
    void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** {@code kill -9}: no AOF rewrite, no goodbye to clients. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }

    private boolean answersPing() {
        if (!process.isAlive()) {
            throw new AssertionError("redis-server exited with " + process.exitValue() + "; see " + directory);
        }
        if (!prefix.isEmpty()) {
            return answersPingThere();
        }
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            plain.setSoTimeout(500);
            Socket socket = tls == null ? plain
                    : tls.getSocketFactory().createSocket(plain, address, port, true);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG");
        }
        catch (IOException ex) {
            return false;
        }
    }

    private boolean answersPingThere() {
        List<String> ping = new ArrayList<>(prefix);
        ping.addAll(List.of(RedisClusterProcess.CLI.toString(), "-h", address, "-p", Integer.toString(port), "ping"));
        try {
            Process cli = new ProcessBuilder(ping).redirectErrorStream(true).start();
            String reply = new String(cli.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            return cli.waitFor() == 0 && reply.contains("PONG");
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Netty and Lettuce log every byte at DEBUG, which the test JVMs have no config to silence. */
    static void quietClientLogs() {
        for (String name : List.of("io.lettuce", "io.netty", "reactor")) {
            if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
                logger.setLevel(ch.qos.logback.classic.Level.INFO);
            }
        }
    }
}
