package dev.leader.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One {@code redis-server} with an append-only file synced on every write: the fencing epoch must
 * survive a kill -9, which Redis only promises with {@code appendfsync always} (the README says so).
 */
final class RedisBackend implements Backend {

    private final Lab lab;

    private final ServerProcess server;

    RedisBackend(Lab lab, Path work) throws IOException {
        this.lab = lab;
        Path dir = Files.createDirectories(work.resolve("redis"));
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
                FaultKind.NETWORK_CUT, FaultKind.CLOCK_JUMP);
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
    public void close() {
        server.close();
    }
}
