package dev.leader.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * One {@code redis-server} with an append-only file synced on every write: the fencing epoch must
 * survive a kill -9, which Redis only promises with {@code appendfsync always} (the README says so).
 * The plan also makes it forget: a restart from an RDB snapshot a few faults old, or from nothing,
 * as a server without the append-only file would after a crash; then it is made durable again.
 */
final class RedisBackend implements Backend {

    private static final String REDIS_CLI = "/usr/bin/redis-cli";

    /** A restart from an old snapshot takes the oldest of the last few checkpoints. */
    private static final int CHECKPOINTS = 3;

    private final Lab lab;

    private final Path dir;

    private final ServerProcess server;

    private final Deque<Path> checkpoints = new ArrayDeque<>();

    private int checkpointCount;

    RedisBackend(Lab lab, Path work) throws IOException {
        this.lab = lab;
        this.dir = Files.createDirectories(work.resolve("redis"));
        int port = Ports.free();
        this.server = new ServerProcess(lab, List.of(Binaries.require("/usr/bin/redis-server", "redis-server"), "--port",
                String.valueOf(port), "--bind", lab.serverAddress(), "--save", "", "--appendonly", "yes", "--appendfsync",
                "always", "--dir", dir.toString(), "--protected-mode", "no"), work.resolve("redis.log"), port);
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public void start() throws IOException {
        server.start();
        server.awaitAccepting();
    }

    @Override
    public List<String> appArguments() {
        return List.of("--leader.backend=redis", "--leader.redis.url=redis://" + lab.serverAddress() + ":" + server.port());
    }

    @Override
    public Set<FaultKind> faults() {
        return EnumSet.of(FaultKind.SIGTERM_LEADER, FaultKind.KILL_LEADER, FaultKind.PAUSE_LEADER, FaultKind.BACKEND_RESTART,
                FaultKind.NETWORK_CUT, FaultKind.CLOCK_JUMP, FaultKind.SERVER_PAUSE, FaultKind.OLD_SNAPSHOT, FaultKind.EMPTY_RESTART,
                FaultKind.DUPLICATE_ID);
    }

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

    /** An RDB snapshot of the data as it is now ({@code SAVE}), kept among the last few. */
    @Override
    public void checkpoint() throws IOException {
        if (!server.alive() || cli("SAVE").isEmpty()) {
            return;
        }
        Path copy = dir.resolve("checkpoint-" + checkpointCount++ + ".rdb");
        Files.copy(dir.resolve("dump.rdb"), copy, StandardCopyOption.REPLACE_EXISTING);
        checkpoints.addLast(copy);
        while (checkpoints.size() > CHECKPOINTS) {
            Files.deleteIfExists(checkpoints.removeFirst());
        }
    }

    /**
     * kill -9, then a start without the append-only file from an old snapshot (or none), then
     * {@code CONFIG SET appendonly yes}, which rewrites the append-only file from what was loaded.
     */
    @Override
    public void restartForgetting(boolean fromOldCheckpoint) throws IOException {
        server.kill();
        Path loaded = dir.resolve("loaded.rdb");
        Files.deleteIfExists(loaded);
        if (fromOldCheckpoint && !checkpoints.isEmpty()) {
            Files.copy(checkpoints.peekFirst(), loaded);
        }
        List<String> forgetful = new ArrayList<>(server.command());
        // Later options win: no append-only file, and the old snapshot (or a file that does not exist).
        forgetful.addAll(List.of("--appendonly", "no", "--dbfilename", "loaded.rdb"));
        server.start(forgetful);
        server.awaitAccepting();
        cli("CONFIG", "SET", "dbfilename", "dump.rdb");
        cli("CONFIG", "SET", "appendonly", "yes");
        // Durable again only once the rewrite of the append-only file is done.
        if (!Pause.until(() -> cli("INFO", "persistence").matches("(?s).*aof_enabled:1.*aof_rewrite_in_progress:0.*aof_rewrite_scheduled:0.*"),
                Duration.ofSeconds(30))) {
            throw new IOException("redis did not rewrite its append-only file after a forgetful restart: " + cli("INFO", "persistence"));
        }
    }

    private String cli(String... command) {
        List<String> full = new ArrayList<>(List.of(REDIS_CLI, "-h", lab.serverAddress(), "-p", String.valueOf(server.port())));
        full.addAll(List.of(command));
        return lab.outputInHub(full);
    }

    @Override
    public void close() {
        server.close();
    }
}
