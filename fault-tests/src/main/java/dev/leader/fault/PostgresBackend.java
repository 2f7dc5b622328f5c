package dev.leader.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import dev.leader.autoconfigure.BackendType;
import dev.leader.testsupport.PostgresServer;
import dev.leader.testsupport.ServerProcess;

/**
 * The jdbc backend on one PostgreSQL 15 server (test-support's: the {@code postgres} user, fsync
 * off), listening in the hub. The apps have Boot's DataSource on it, which the backend opens its
 * own connections from, and a pool of their own that the plan exhausts. The server runs under
 * libfaketime when it is installed, so that the plan can move the database's clock.
 */
final class PostgresBackend implements Backend {

    private final PostgresServer server;

    /** The database's clock offset, which libfaketime reads; readable by the postgres user (the work directory is root's alone). */
    private final Path clock;

    private PostgresBackend(PostgresServer server, Path clock) {
        this.server = server;
        this.clock = clock;
    }

    static PostgresBackend start(Lab lab, Path work) throws IOException {
        Path clock = Files.createTempFile("fault-postgres-clock-", ".txt", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-r--r--")));
        Files.writeString(clock, "+0\n");
        try {
            return new PostgresBackend(PostgresServer.builder().placement(lab.serverPlacement())
                    .environment(Apps.clockFaultsAvailable() ? Apps.fakeClockEnvironment(clock) : Map.of())
                    .settings("max_connections=200").consoleLog(work.resolve("postgres.log")).start(), clock);
        }
        catch (IOException | RuntimeException ex) {
            Files.deleteIfExists(clock);
            throw ex;
        }
    }

    @Override
    public BackendType type() {
        return BackendType.JDBC;
    }

    /** Boot's DataSource on the server (the suite's apps otherwise leave it out), the backend on it. */
    @Override
    public List<String> appArguments() {
        return List.of("--leader.backend=" + type().id(), "--leader.jdbc.initialize-schema=always", "--spring.autoconfigure.exclude=",
                "--spring.datasource.url=" + server.jdbcUrl() + "?connectTimeout=2&loginTimeout=2",
                "--spring.datasource.username=" + server.user(), "--spring.datasource.hikari.maximum-pool-size=4",
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
        server.kill9();
    }

    @Override
    public void recover() throws IOException {
        if (!server.isRunning()) {
            server.restart();
        }
    }

    @Override
    public ServerProcess pauseServer(Random random) throws IOException {
        server.pause();
        return server;
    }

    @Override
    public void setServerClock(String offset) throws IOException {
        Files.writeString(clock, offset + "\n");
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(clock);
        }
        catch (IOException ex) {
            System.out.println("[jdbc] could not delete the server's data: " + ex.getMessage());
        }
    }
}
