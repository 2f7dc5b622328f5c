package dev.leader.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * PostgreSQL 15 from Debian as a child process: {@code initdb} and {@code postgres} run as the
 * unprivileged {@code postgres} user through {@code setpriv} (both refuse root), listening on a
 * free loopback port with trust authentication for the {@code postgres} role, data in a temp
 * directory that user owns. {@code fsync} is off: a test kills the server's processes, never the
 * host, and the operating system keeps every committed write across a process crash. With a
 * {@link Builder#placement} it runs in a network namespace on an address there instead.
 */
public final class PostgresServer extends ServerProcess {

    static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private static final List<String> AS_POSTGRES = List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups");

    private final List<String> settings;

    private final Map<String, String> environment;

    private PostgresServer(Path directory, Placement placement, List<String> settings, Map<String, String> environment,
            @Nullable Path consoleLog) throws IOException {
        super(directory, placement, consoleLog);
        this.settings = settings;
        this.environment = environment;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Initialises a cluster and starts it.
     *
     * @param settings further server settings, {@code name=value}, e.g.
     *        {@code shared_preload_libraries=pg_stat_statements}
     */
    public static PostgresServer start(String... settings) throws IOException {
        return builder().settings(settings).start();
    }

    /**
     * As {@link #start(String...)}, with {@code environment} added to the server's (not
     * {@code initdb}'s) environment, e.g. libfaketime's {@code LD_PRELOAD}; the server runs
     * through {@code env}, which keeps its process id.
     */
    public static PostgresServer start(Map<String, String> environment, String... settings) throws IOException {
        return builder().environment(environment).settings(settings).start();
    }

    /** The JDBC URL of the {@code postgres} database; user {@code postgres}, no password. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + address() + ":" + port() + "/postgres";
    }

    public String user() {
        return "postgres";
    }

    /** Runs SQL through {@code psql} as {@code postgres}; the rows, unaligned, one per line. */
    public String psql(String sql) throws IOException {
        return run(placement().command(List.of(BIN.resolve("psql").toString(), "-h", address(), "-p", Integer.toString(port()),
                "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-Atqc", sql)), Duration.ofSeconds(30));
    }

    @Override
    protected List<String> command() {
        List<String> command = command(BIN.resolve("postgres").toString(), "-D", data().toString(), "-p",
                Integer.toString(port()), "-c", "listen_addresses=" + address(), "-c", "unix_socket_directories=" + directory(),
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
            return "1".equals(run(placement().command(List.of(BIN.resolve("psql").toString(), "-h", address(), "-p",
                    Integer.toString(port()), "-U", "postgres", "-d", "postgres", "-Atqc", "SELECT 1")), Duration.ofSeconds(5)));
        }
        catch (IOException ex) {
            return false;
        }
    }

    private Path data() {
        return directory().resolve("data");
    }

    private static List<String> command(String... command) {
        List<String> full = new ArrayList<>(AS_POSTGRES);
        full.addAll(List.of(command));
        return full;
    }

    /** What a server is started with; {@link #start()} initialises a cluster, starts it and waits until it answers. */
    public static final class Builder {

        private Placement placement = Placement.LOOPBACK;

        private final List<String> settings = new ArrayList<>();

        private final Map<String, String> environment = new LinkedHashMap<>();

        private @Nullable Path consoleLog;

        private Builder() {
        }

        /** Further server settings, {@code name=value}, after the defaults (a later one wins), e.g. {@code max_connections=200}. */
        public Builder settings(String... settings) {
            this.settings.addAll(List.of(settings));
            return this;
        }

        /**
         * Added to the server's (not {@code initdb}'s) environment, e.g. libfaketime's
         * {@code LD_PRELOAD}; the server runs through {@code env}, which keeps its process id.
         */
        public Builder environment(Map<String, String> environment) {
            this.environment.putAll(environment);
            return this;
        }

        /**
         * Run through a command prefix (a network namespace), bound to an address there; its
         * clients then come from other namespaces' addresses, which are all trusted (the
         * namespaces are the test's own).
         */
        public Builder placement(Placement placement) {
            this.placement = placement;
            return this;
        }

        /** The server's log goes to {@code file}, which outlives {@link PostgresServer#close()}, instead of its data directory. */
        public Builder consoleLog(Path file) {
            this.consoleLog = file;
            return this;
        }

        public PostgresServer start() throws IOException {
            requireExecutable(BIN.resolve("postgres"), "install it with 'apt-get install -y postgresql'");
            Path directory = Files.createTempDirectory("leader-postgres");
            Shell.must(List.of("chown", "postgres:postgres", directory.toString()));
            PostgresServer server = new PostgresServer(directory, placement, List.copyOf(settings), Map.copyOf(environment),
                    consoleLog);
            try {
                run(command(BIN.resolve("initdb").toString(), "-D", server.data().toString(), "-U", "postgres", "--auth=trust",
                        "-E", "UTF8", "--no-sync", "--no-instructions"), Duration.ofSeconds(120));
                if (placement.isRemote()) {
                    // initdb trusts local connections only; the clients connect from their namespaces' addresses.
                    Files.writeString(server.data().resolve("pg_hba.conf"), "host all all 0.0.0.0/0 trust\n", StandardOpenOption.APPEND);
                }
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
