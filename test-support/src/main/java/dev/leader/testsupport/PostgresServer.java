package dev.leader.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL 15 from Debian as a child process: {@code initdb} and {@code postgres} run as the
 * unprivileged {@code postgres} user through {@code setpriv} (both refuse root), listening on a
 * free loopback port with trust authentication for the {@code postgres} role, data in a temp
 * directory that user owns. {@code fsync} is off: a test kills the server's processes, never the
 * host, and the operating system keeps every committed write across a process crash.
 */
public final class PostgresServer extends ServerProcess {

    static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private static final List<String> AS_POSTGRES = List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups");

    private final List<String> settings;

    private final Map<String, String> environment;

    private PostgresServer(Path directory, List<String> settings, Map<String, String> environment) throws IOException {
        super(directory);
        this.settings = settings;
        this.environment = environment;
    }

    /**
     * Initialises a cluster and starts it.
     *
     * @param settings further server settings, {@code name=value}, e.g.
     *        {@code shared_preload_libraries=pg_stat_statements}
     */
    public static PostgresServer start(String... settings) throws IOException {
        return start(Map.of(), settings);
    }

    /**
     * As {@link #start(String...)}, with {@code environment} added to the server's (not
     * {@code initdb}'s) environment, e.g. libfaketime's {@code LD_PRELOAD}; the server runs
     * through {@code env}, which keeps its process id.
     */
    public static PostgresServer start(Map<String, String> environment, String... settings) throws IOException {
        requireExecutable(BIN.resolve("postgres"), "install it with 'apt-get install -y postgresql'");
        Path directory = Files.createTempDirectory("leader-postgres");
        Shell.must(List.of("chown", "postgres:postgres", directory.toString()));
        PostgresServer server = new PostgresServer(directory, List.of(settings), Map.copyOf(environment));
        try {
            run(command(BIN.resolve("initdb").toString(), "-D", server.data().toString(), "-U", "postgres", "--auth=trust",
                    "-E", "UTF8", "--no-sync", "--no-instructions"), Duration.ofSeconds(120));
            server.restart();
        }
        catch (IOException | RuntimeException | Error ex) {
            server.close();
            throw ex;
        }
        return server;
    }

    /** The JDBC URL of the {@code postgres} database; user {@code postgres}, no password. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/postgres";
    }

    public String user() {
        return "postgres";
    }

    /** Runs SQL through {@code psql} as {@code postgres}; the rows, unaligned, one per line. */
    public String psql(String sql) throws IOException {
        return run(List.of(BIN.resolve("psql").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port()), "-U", "postgres",
                "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-Atqc", sql), Duration.ofSeconds(30));
    }

    @Override
    protected List<String> command() {
        List<String> command = command(BIN.resolve("postgres").toString(), "-D", data().toString(), "-p",
                Integer.toString(port()), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + directory(),
                "-c", "fsync=off", "-c", "max_connections=300", "-c", "log_destination=stderr");
        for (String setting : settings) {
            command.add("-c");
            command.add(setting);
        }
        // Set after setpriv, for the server alone: a preloaded library (libfaketime) must not run in setpriv as root.
        command.addAll(AS_POSTGRES.size(), withEnvironment(environment));
        return command;
    }

    @Override
    protected boolean answers() {
        try {
            return "1".equals(run(List.of(BIN.resolve("psql").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port()),
                    "-U", "postgres", "-d", "postgres", "-Atqc", "SELECT 1"), Duration.ofSeconds(5)));
        }
        catch (IOException ex) {
            return false;
        }
    }

    @Override
    protected Path log() {
        return directory().resolve("server-console.log");
    }

    private Path data() {
        return directory().resolve("data");
    }

    private static List<String> command(String... command) {
        List<String> full = new ArrayList<>(AS_POSTGRES);
        full.addAll(List.of(command));
        return full;
    }
}
