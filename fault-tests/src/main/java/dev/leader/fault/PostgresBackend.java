package dev.leader.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import dev.leader.testsupport.Shell;

/**
 * The jdbc backend on one PostgreSQL 15 server (Debian's, run as the {@code postgres} user; it
 * refuses root), listening in the hub. The apps have Boot's DataSource on it, which the backend
 * opens its own connections from, and a pool of their own that the plan exhausts. The server
 * runs under libfaketime when it is installed, so that the plan can move the database's clock.
 */
final class PostgresBackend implements Backend {

    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private static final List<String> AS_POSTGRES = List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups");

    private final Lab lab;

    private final Path dir;

    private final ServerProcess server;

    private PostgresBackend(Lab lab, Path dir, ServerProcess server) {
        this.lab = lab;
        this.dir = dir;
        this.server = server;
    }

    static PostgresBackend create(Lab lab, Path work) throws IOException {
        String postgres = Binaries.require(BIN.resolve("postgres").toString(), "postgresql");
        // Its own directory, owned by postgres: the suite's work directory is root's alone.
        Path dir = Files.createTempDirectory("fault-postgres-");
        Shell.must(List.of("chown", "postgres:postgres", dir.toString()));
        Path data = dir.resolve("data");
        Shell.must(withPrefix(List.of(BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth=trust",
                "-E", "UTF8", "--no-sync", "--no-instructions")));
        // The apps connect from their namespaces' addresses, which initdb's rules (local connections only) refuse.
        Files.writeString(data.resolve("pg_hba.conf"), "host all all 0.0.0.0/0 trust\n", StandardOpenOption.APPEND);
        Path clock = dir.resolve("clock.txt");
        Files.writeString(clock, "+0\n");
        int port = Ports.free();
        List<String> postgresCommand = new ArrayList<>();
        if (Apps.clockFaultsAvailable()) {
            // libfaketime is preloaded after setpriv switched to postgres: preloaded into root's setpriv, it makes a
            // semaphore the server may not open.
            postgresCommand.add("env");
            Apps.fakeClockEnvironment(clock).forEach((name, value) -> postgresCommand.add(name + "=" + value));
        }
        // fsync off: the plan kills the server's processes, never the host; the kernel keeps committed writes.
        postgresCommand.addAll(List.of(postgres, "-D", data.toString(), "-p", String.valueOf(port), "-c",
                "listen_addresses=" + lab.serverAddress(), "-c", "unix_socket_directories=" + dir, "-c", "fsync=off", "-c",
                "max_connections=200"));
        return new PostgresBackend(lab, dir, new ServerProcess(lab, withPrefix(postgresCommand), work.resolve("postgres.log"), port));
    }

    private static List<String> withPrefix(List<String> command) {
        return Stream.concat(AS_POSTGRES.stream(), command.stream()).toList();
    }

    @Override
    public String name() {
        return "jdbc";
    }

    @Override
    public void start() throws IOException {
        server.start();
        server.awaitAccepting();
    }

    /** Boot's DataSource on the server (the suite's apps otherwise leave it out), the backend on it. */
    @Override
    public List<String> appArguments() {
        return List.of("--leader.backend=jdbc", "--leader.jdbc.initialize-schema=always", "--spring.autoconfigure.exclude=",
                "--spring.datasource.url=jdbc:postgresql://" + lab.serverAddress() + ":" + server.port()
                        + "/postgres?connectTimeout=2&loginTimeout=2",
                "--spring.datasource.username=postgres", "--spring.datasource.hikari.maximum-pool-size=4",
                "--spring.datasource.hikari.connection-timeout=500");
    }

    @Override
    public Set<FaultKind> faults() {
        EnumSet<FaultKind> faults = EnumSet.of(FaultKind.SIGTERM_LEADER, FaultKind.KILL_LEADER, FaultKind.PAUSE_LEADER,
                FaultKind.BACKEND_RESTART, FaultKind.NETWORK_CUT, FaultKind.CLOCK_JUMP, FaultKind.SERVER_PAUSE,
                FaultKind.POOL_EXHAUSTION, FaultKind.DUPLICATE_ID);
        if (Apps.clockFaultsAvailable()) {
            faults.add(FaultKind.SERVER_CLOCK_JUMP);
        }
        return faults;
    }

    /** kill -9 of the postmaster and every backend process: a restart finds no shared memory in use. */
    @Override
    public void crash() {
        server.kill();
    }

    @Override
    public void recover() throws IOException {
        if (!server.alive()) {
            start();
        }
    }

    @Override
    public ServerProcess pauseServer(Random random) throws IOException {
        server.signal("STOP");
        return server;
    }

    @Override
    public void setServerClock(String offset) throws IOException {
        Files.writeString(dir.resolve("clock.txt"), offset + "\n");
    }

    @Override
    public void close() {
        server.close();
        try {
            Shell.run(List.of("rm", "-rf", dir.toString()));
        }
        catch (IOException ex) {
            // A temp directory left behind.
        }
    }
}
