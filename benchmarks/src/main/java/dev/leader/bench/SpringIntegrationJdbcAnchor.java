package dev.leader.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.leader.event.OnGrantedEvent;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import dev.leader.autoconfigure.BackendType;

/**
 * Anchor: Spring Integration's {@code LockRegistryLeaderInitiator} over a {@code JdbcLockRegistry}
 * ({@code DefaultLockRepository}, its {@code INT_LOCK} table from the jar's
 * {@code schema-postgresql.sql}) with their defaults, the lock expiring after the lease. Granted
 * is stamped when the initiator publishes its {@code OnGrantedEvent}.
 */
final class SpringIntegrationJdbcAnchor implements BenchBackend {

    static final String TYPE = "spring-integration-jdbc";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public BackendType backend() {
        return BackendType.JDBC;
    }

    @Override
    public BenchServer start(Path workDir) throws IOException {
        return PostgresDatabases.create(TYPE, lockTable(), "; Spring Integration "
                + LockRegistryLeaderInitiator.class.getPackage().getImplementationVersion()
                + " (default heart-beat 500 ms, busy-wait 50 ms, idle between tries 100 ms), HikariCP pool of 2 per JVM");
    }

    /** The {@code INT_LOCK} table as the jar's PostgreSQL script creates it. */
    private static String lockTable() throws IOException {
        try (InputStream script = DefaultLockRepository.class.getResourceAsStream("/org/springframework/integration/jdbc/schema-postgresql.sql")) {
            if (script == null) {
                throw new IOException("schema-postgresql.sql is not in the spring-integration-jdbc jar");
            }
            String all = new String(script.readAllBytes(), StandardCharsets.UTF_8);
            int start = all.indexOf("CREATE TABLE INT_LOCK");
            if (start < 0) {
                throw new IOException("schema-postgresql.sql creates no INT_LOCK table");
            }
            return all.substring(start, all.indexOf(';', start) + 1);
        }
    }

    @Override
    public Contenders connect(String address, Duration lease) {
        HikariDataSource pool = Pools.hikari(address, "si-lock");
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(pool);
        DefaultLockRepository repository = new DefaultLockRepository(pool);
        repository.setTransactionManager(transactions);
        repository.afterPropertiesSet();
        repository.afterSingletonsInstantiated();
        repository.start();
        List<LockRegistryLeaderInitiator> initiators = new CopyOnWriteArrayList<>();
        return new Contenders() {
            @Override
            public Contender join(String election, String candidateId, LongConsumer granted) {
                JdbcLockRegistry registry = new JdbcLockRegistry(repository, lease);
                LockRegistryLeaderInitiator initiator = new LockRegistryLeaderInitiator(registry, new DefaultCandidate(candidateId, election));
                initiator.setApplicationEventPublisher(event -> {
                    if (event instanceof OnGrantedEvent) {
                        granted.accept(System.nanoTime());
                    }
                });
                initiators.add(initiator);
                initiator.start();
                return initiator::stop;
            }

            @Override
            public void close() {
                initiators.forEach(LockRegistryLeaderInitiator::destroy);
                repository.close();
                pool.close();
            }
        };
    }

    @Override
    public Duration lease(Duration requested) {
        return requested;
    }
}
