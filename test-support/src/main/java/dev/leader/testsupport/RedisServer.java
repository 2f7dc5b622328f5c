package dev.leader.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * {@code redis-server} from Debian as a child process on a free port, its data in a temp
 * directory of its own ({@code dump.rdb}, the append-only file). Without persistence by default;
 * with {@link Builder#appendOnly()} every write is synced ({@code appendfsync always}), so the
 * data survives {@link #kill9()}. Also a TLS-only server, a Sentinel, or a cluster node
 * ({@link RedisCluster}).
 */
public final class RedisServer extends ServerProcess {

    public static final Path BINARY = Path.of("/usr/bin/redis-server");

    public static final Path CLI = Path.of("/usr/bin/redis-cli");

    private final List<String> options;

    /** For a server that speaks only TLS: the context its ping connects with; null for plain TCP. */
    private final @Nullable SSLContext tls;

    private final @Nullable Path configFile;

    /** Options of this start only, after all others (in redis-server the later option wins); see {@link #restartWith}. */
    private List<String> restartOptions = List.of();

    private RedisServer(Path directory, Placement placement, List<String> options, @Nullable SSLContext tls,
            @Nullable Path configFile, @Nullable Path consoleLog) throws IOException {
        super(directory, placement, consoleLog);
        this.options = options;
        this.tls = tls;
        this.configFile = configFile;
    }

    /** A server without persistence on this host's loopback. */
    public static RedisServer start() throws IOException {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code redis://address:port}, or {@code rediss://} for a TLS-only server. */
    public String url() {
        return (tls == null ? "redis://" : "rediss://") + address() + ":" + port();
    }

    /**
     * Starts the stopped server again with {@code options} winning over the ones it was built
     * with, for this start only (a later {@link #restart()} drops them): e.g.
     * {@code --appendonly no --dbfilename old.rdb} brings it back as a server that lost what its
     * append-only file held, as after a crash without one.
     */
    public void restartWith(String... options) throws IOException {
        restartOptions = List.of(options);
        try {
            restart();
        }
        finally {
            restartOptions = List.of();
        }
    }

    /** Runs {@code redis-cli} against this server, from where it runs; its output. */
    public String cli(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(CLI.toString(), "-h", address(), "-p", Integer.toString(port())));
        command.addAll(List.of(arguments));
        return run(placement().command(command), Duration.ofSeconds(20));
    }

    /** {@code Redis 7.0.15}, from {@code redis-server --version}. */
    public static String version() {
        String version = ServerProcess.version(BINARY.toString(), "--version");
        Matcher number = Pattern.compile("v=(\\S+)").matcher(version);
        return number.find() ? "Redis " + number.group(1) : version;
    }

    @Override
    protected List<String> command() {
        List<String> command = new ArrayList<>(List.of(BINARY.toString()));
        if (configFile != null) {
            command.add(configFile.toString());
        }
        command.addAll(List.of("--port", tls == null ? Integer.toString(port()) : "0", "--bind", address(), "--save", "",
                "--dir", directory().toString(), "--daemonize", "no"));
        if (tls != null) {
            command.addAll(List.of("--tls-port", Integer.toString(port())));
        }
        if (placement().isRemote()) {
            // Clients come from other namespaces, not loopback; the namespaces are the test's own.
            command.addAll(List.of("--protected-mode", "no"));
        }
        command.addAll(options);
        command.addAll(restartOptions);
        return command;
    }

    @Override
    protected boolean answers() {
        if (placement().isRemote()) {
            try {
                return cli("ping").contains("PONG");
            }
            catch (IOException ex) {
                return false;
            }
        }
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(address(), port()), 200);
            plain.setSoTimeout(500);
            Socket socket = tls == null ? plain : tls.getSocketFactory().createSocket(plain, address(), port(), true);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(7), StandardCharsets.US_ASCII).startsWith("+PONG");
        }
        catch (IOException ex) {
            return false;
        }
    }

    /** What a server is started with; {@link #start()} starts it and waits until it answers PING. */
    public static final class Builder {

        private Placement placement = Placement.LOOPBACK;

        private final List<String> options = new ArrayList<>();

        private boolean appendOnly;

        private @Nullable TestCertificates certificates;

        private boolean authClients;

        private @Nullable RedisServer monitored;

        private @Nullable Path consoleLog;

        private Builder() {
        }

        /** Every write goes to the append-only file and is synced before the reply. */
        public Builder appendOnly() {
            appendOnly = true;
            return this;
        }

        /** Further {@code --name value} options, such as {@code --notify-keyspace-events Kx}. */
        public Builder options(String... options) {
            this.options.addAll(List.of(options));
            return this;
        }

        /**
         * Only TLS on the server's port ({@code --port 0}), with the server certificate of
         * {@code certificates}; with {@code authClients} it asks clients for a certificate signed by their CA.
         */
        public Builder tls(TestCertificates certificates, boolean authClients) {
            this.certificates = certificates;
            this.authClients = authClients;
            return this;
        }

        /** A Sentinel (quorum 1) watching {@code master} under the name {@code mymaster}. */
        public Builder sentinelOf(RedisServer master) {
            this.monitored = master;
            return this;
        }

        /** Run through a command prefix (a network namespace), bound to an address there. */
        public Builder placement(Placement placement) {
            this.placement = placement;
            return this;
        }

        /** The server's log goes to {@code file}, which outlives {@link RedisServer#close()}, instead of its data directory. */
        public Builder consoleLog(Path file) {
            this.consoleLog = file;
            return this;
        }

        public RedisServer start() throws IOException {
            requireExecutable(BINARY, "install it with 'apt-get install -y redis-server'");
            Path directory = Files.createTempDirectory("leader-redis");
            List<String> all = new ArrayList<>(List.of("--appendonly", appendOnly ? "yes" : "no", "--appendfsync", "always"));
            all.addAll(options);
            SSLContext context = null;
            if (certificates != null) {
                try {
                    context = certificates.sslContext(true);
                }
                catch (GeneralSecurityException ex) {
                    throw new IOException("cannot load the test certificates", ex);
                }
                all.addAll(List.of("--tls-cert-file", certificates.serverCertificate().toString(),
                        "--tls-key-file", certificates.serverKey().toString(),
                        "--tls-ca-cert-file", certificates.caCertificate().toString(),
                        "--tls-auth-clients", authClients ? "yes" : "no"));
            }
            Path config = null;
            if (monitored != null) {
                // A Sentinel rewrites its configuration file, so it has one of its own.
                config = Files.writeString(directory.resolve("sentinel.conf"),
                        "sentinel monitor mymaster " + monitored.address() + " " + monitored.port() + " 1\n");
                all.add("--sentinel");
            }
            RedisServer server = new RedisServer(directory, placement, List.copyOf(all), context, config, consoleLog);
            try {
                server.restart();
            }
            catch (IOException | RuntimeException | Error ex) {
                server.close();
                throw ex;
            }
            return server;
        }
    }
}
