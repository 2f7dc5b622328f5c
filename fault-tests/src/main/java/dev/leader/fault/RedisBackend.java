package dev.leader.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import dev.leader.autoconfigure.BackendType;
import dev.leader.testsupport.RedisServer;
import dev.leader.testsupport.ServerProcess;

/**
 * One {@code redis-server} with an append-only file synced on every write: the fencing epoch must
 * survive a kill -9, which Redis only promises with {@code appendfsync always} (the README says so).
 * The plan also makes it forget: a restart from an RDB snapshot a few faults old, or from nothing,
 * as a server without the append-only file would after a crash; then it is made durable again.
 */
final class RedisBackend implements Backend {

    /** A restart from an old snapshot takes the oldest of the last few checkpoints. */
    private static final int CHECKPOINTS = 3;

    private final RedisServer server;

    private final Deque<Path> checkpoints = new ArrayDeque<>();

    private int checkpointCount;

    private RedisBackend(RedisServer server) {
        this.server = server;
    }

    static RedisBackend start(Lab lab, Path work) throws IOException {
        return new RedisBackend(RedisServer.builder().appendOnly().placement(lab.serverPlacement())
                .consoleLog(work.resolve("redis.log")).start());
    }

    /** The server, for the backend's own tests. */
    RedisServer server() {
        return server;
    }

    @Override
    public BackendType type() {
        return BackendType.REDIS;
    }

    @Override
    public List<String> appArguments() {
        return List.of("--leader.backend=" + type().id(), "--leader.redis.url=" + server.url());
    }

    @Override
    public Set<FaultKind> faults() {
        return EnumSet.of(FaultKind.SIGTERM_LEADER, FaultKind.KILL_LEADER, FaultKind.PAUSE_LEADER, FaultKind.BACKEND_RESTART,
                FaultKind.NETWORK_CUT, FaultKind.CLOCK_JUMP, FaultKind.SERVER_PAUSE, FaultKind.OLD_SNAPSHOT, FaultKind.EMPTY_RESTART,
                FaultKind.DUPLICATE_ID);
    }

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

    /** An RDB snapshot of the data as it is now ({@code SAVE}), kept among the last few. */
    @Override
    public void checkpoint() throws IOException {
        if (!server.isRunning()) {
            return;
        }
        String saved = server.cli("SAVE");
        if (!saved.equals("OK")) {
            System.out.println("[redis] no checkpoint this time, SAVE answered: " + saved);
            return;
        }
        Path copy = server.directory().resolve("checkpoint-" + checkpointCount++ + ".rdb");
        Files.copy(server.directory().resolve("dump.rdb"), copy, StandardCopyOption.REPLACE_EXISTING);
        checkpoints.addLast(copy);
        while (checkpoints.size() > CHECKPOINTS) {
            Files.deleteIfExists(checkpoints.removeFirst());
        }
    }

    /**
     * kill -9, then a start without the append-only file from an old snapshot (or none), then
     * {@code CONFIG SET appendonly yes}, which rewrites the append-only file from what was loaded.
     * The snapshot goes in place of {@code dump.rdb}: Redis 7 refuses {@code CONFIG SET dbfilename}
     * (a protected setting), so a start under another file name would keep saving there.
     */
    @Override
    public void restartForgetting(boolean fromOldCheckpoint) throws IOException {
        server.kill9();
        Path dump = server.directory().resolve("dump.rdb");
        Files.deleteIfExists(dump);
        if (fromOldCheckpoint && !checkpoints.isEmpty()) {
            Files.copy(checkpoints.peekFirst(), dump);
        }
        // No append-only file, and the old snapshot (or no file at all).
        server.restartWith("--appendonly", "no");
        String enabled = server.cli("CONFIG", "SET", "appendonly", "yes");
        if (!enabled.equals("OK")) {
            throw new IOException("redis refused to turn the append-only file on again: " + enabled);
        }
        // Durable again only once the rewrite of the append-only file is done.
        if (!Pause.until(this::rewriteDone, Duration.ofSeconds(30))) {
            throw new IOException("redis did not rewrite its append-only file after a forgetful restart: " + server.cli("INFO", "persistence"));
        }
    }

    private boolean rewriteDone() {
        try {
            return server.cli("INFO", "persistence").matches("(?s).*aof_enabled:1.*aof_rewrite_in_progress:0.*aof_rewrite_scheduled:0.*");
        }
        catch (IOException ex) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        }
        catch (IOException ex) {
            System.out.println("[redis] could not delete its data: " + ex.getMessage());
        }
    }
}
