package dev.leader.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import io.lettuce.core.RedisURI;

import dev.leader.autoconfigure.BackendType;
import dev.leader.election.ElectionBackend;
import dev.leader.redis.RedisBackendSettings;
import dev.leader.redis.RedisElectionBackend;

/** Redis: a redis-server child process without persistence, the backend with its defaults but the lease. */
final class RedisBench implements OurBench {

    @Override
    public BackendType backend() {
        return BackendType.REDIS;
    }

    @Override
    public BenchServer start(Path workDir) throws IOException {
        RedisServers.Server server = RedisServers.start();
        return BenchServer.of("redis://127.0.0.1:" + server.port(), server.version() + ", loopback, no persistence",
                server::commandsServed, server::close);
    }

    @Override
    public ElectionBackend electionBackend(String address, Duration lease) {
        return new RedisElectionBackend(RedisURI.create(address), RedisBackendSettings.of(lease));
    }

    @Override
    public Duration lease(Duration requested) {
        return requested;
    }
}
