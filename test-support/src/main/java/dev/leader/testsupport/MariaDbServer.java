package dev.leader.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MariaDB from Debian ({@code mariadb-server}) as a child process: a data directory made by
 * {@code mariadb-install-db}, {@code mariadbd} on a free loopback port without reading any
 * option file, {@code root} without a password, and a database {@code leader}. InnoDB flushes
 * its log at every commit (the default), so committed rows survive {@link #kill9()}.
 */
public final class MariaDbServer extends ServerProcess {

    static final Path SERVER = Path.of("/usr/sbin/mariadbd");

    static final Path CLIENT = Path.of("/usr/bin/mariadb");

    private final List<String> options;

    private final Map<String, String> environment;

    private MariaDbServer(Path directory, List<String> options, Map<String, String> environment) throws IOException {
        super(directory);
        this.options = options;
        this.environment = environment;
    }

    /**
     * Makes a data directory, starts the server and creates the database {@code leader}.
     *
     * @param options further server options, e.g. {@code --userstat=1}
     */
    public static MariaDbServer start(String... options) throws IOException {
        return start(Map.of(), options);
    }

    /**
     * As {@link #start(String...)}, with {@code environment} added to the server's (not
     * {@code mariadb-install-db}'s) environment, e.g. libfaketime's {@code LD_PRELOAD}; the
     * server runs through {@code env}, which keeps its process id.
     */
    public static MariaDbServer start(Map<String, String> environment, String... options) throws IOException {
        requireExecutable(SERVER, "install it with 'apt-get install -y mariadb-server'");
        MariaDbServer server = new MariaDbServer(Files.createTempDirectory("leader-mariadb"), List.of(options), Map.copyOf(environment));
        try {
            run(List.of("/usr/bin/mariadb-install-db", "--no-defaults", "--datadir=" + server.data(), "--user=root",
                    "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve"), Duration.ofSeconds(120));
            server.restart();
            server.sql("CREATE DATABASE IF NOT EXISTS leader");
        }
        catch (IOException | RuntimeException | Error ex) {
            server.close();
            throw ex;
        }
        return server;
    }

    /** The JDBC URL of the database {@code leader}; user {@code root}, no password. */
    public String jdbcUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port() + "/leader";
    }

    public String user() {
        return "root";
    }

    /** Runs SQL through the {@code mariadb} client as root; the rows, tab-separated, one per line. */
    public String sql(String sql) throws IOException {
        return run(List.of(CLIENT.toString(), "--no-defaults", "-h", "127.0.0.1", "-P", Integer.toString(port()), "-u", "root",
                "-N", "-B", "-e", sql), Duration.ofSeconds(30));
    }

    @Override
    protected List<String> command() {
        Path directory = directory();
        List<String> command = new ArrayList<>(List.of(SERVER.toString(), "--no-defaults", "--datadir=" + data(), "--port=" + port(),
                "--bind-address=127.0.0.1", "--socket=" + directory.resolve("mariadb.sock"), "--user=root",
                "--pid-file=" + directory.resolve("mariadb.pid"), "--log-error=" + log(), "--skip-name-resolve",
                "--innodb-buffer-pool-size=32M", "--max-connections=300"));
        command.addAll(options);
        command.addAll(0, withEnvironment(environment));
        return command;
    }

    @Override
    protected boolean answers() {
        try {
            return "1".equals(sql("SELECT 1"));
        }
        catch (IOException ex) {
            return false;
        }
    }

    @Override
    protected Path log() {
        return directory().resolve("mariadb.err");
    }

    private Path data() {
        return directory().resolve("data");
    }
}
