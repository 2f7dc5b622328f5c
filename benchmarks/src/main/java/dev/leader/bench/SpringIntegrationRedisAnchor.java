package dev.leader.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.redis.util.RedisLockRegistry;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;

import dev.leader.autoconfigure.BackendType;

/**
 * Anchor: Spring Integration's {@code LockRegistryLeaderInitiator} over a
 * {@code RedisLockRegistry} with their defaults, the lock expiring after the lease.
 */
final class SpringIntegrationRedisAnchor implements BenchBackend {

    static final String TYPE = "spring-integration-redis";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public BackendType backend() {
        return BackendType.REDIS;
    }

    @Override
    public BenchServer start(Path workDir) throws IOException {
        RedisServers.Server server = RedisServers.start();
        return BenchServer.of(Integer.toString(server.port()), server.version()
                + ", loopback, no persistence; Spring Integration "
                + LockRegistryLeaderInitiator.class.getPackage().getImplementationVersion()
                + " (default heart-beat 500 ms, busy-wait 50 ms, default lock type)", server::commandsServed, server::close);
    }

    @Override
    public Contenders connect(String address, Duration lease) {
        LettuceConnectionFactory connections = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration("127.0.0.1", Integer.parseInt(address)));
        connections.afterPropertiesSet();
        connections.start();
        // Connect now (it would connect lazily, on the initiator's first lock attempt), so that
        // READY means campaigning, as for the other libraries.
        connections.getConnection().close();
        List<RedisLockRegistry> registries = new CopyOnWriteArrayList<>();
        return new Contenders() {
            @Override
            public Contender join(String election, String candidateId, LongConsumer granted) {
                RedisLockRegistry registry = new RedisLockRegistry(connections, "bench-" + election, lease.toMillis());
                LockRegistryLeaderInitiator initiator = new LockRegistryLeaderInitiator(registry,
                        new DefaultCandidate(candidateId, election) {
                            @Override
                            public void onGranted(Context context) {
                                granted.accept(System.nanoTime());
                            }
                        });
                registries.add(registry);
                initiator.start();
                // The initiator unlocks on its own thread after stop(); the registry must outlive that.
                return initiator::stop;
            }

            @Override
            public void close() {
                registries.forEach(RedisLockRegistry::destroy);
                connections.destroy();
            }
        };
    }

    @Override
    public Duration lease(Duration requested) {
        return requested;
    }
}
