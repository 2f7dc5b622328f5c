package dev.leader.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import com.zaxxer.hikari.HikariDataSource;

import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.leader.autoconfigure.BackendType;

/**
 * Anchor: ShedLock's {@code JdbcTemplateLockProvider} (database time), used the way a scheduled
 * job that should run on one instance at a time uses it. ShedLock is a lock for scheduled tasks,
 * not leader election: nobody is told who holds the lock, and a waiting instance learns that it
 * is free only when its next run is due. So each candidate tries the lock every {@link #TICK}
 * (its job's fixed-rate schedule), {@code lockAtMostFor} = the lease, {@code lockAtLeastFor} = 0;
 * the holder keeps it by extending it every half lease, as ShedLock's own
 * {@code KeepAliveLockProvider} does (which refuses a {@code lockAtMostFor} under 30 s), and
 * releases it by {@code unlock()}. "Granted" is the moment a candidate's job starts running.
 */
final class ShedLockJdbcAnchor implements BenchBackend {

    static final String TYPE = "shedlock-jdbc";

    /** How often each candidate's job is due: as often as Spring Integration's heart-beat. */
    static final Duration TICK = Duration.ofMillis(500);

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
        return PostgresDatabases.create(TYPE, "CREATE TABLE shedlock(name VARCHAR(64) NOT NULL, lock_until TIMESTAMP NOT NULL,"
                + " locked_at TIMESTAMP NOT NULL, locked_by VARCHAR(255) NOT NULL, PRIMARY KEY (name))", "; ShedLock "
                + version() + " JdbcTemplateLockProvider, usingDbTime(), job due every " + TICK.toMillis()
                + " ms, lockAtMostFor = lease, extended every lease/2, HikariCP pool of 2 per JVM");
    }

    private static String version() {
        String version = JdbcTemplateLockProvider.class.getPackage().getImplementationVersion();
        return version != null ? version : "7.7.0";
    }

    @Override
    public Contenders connect(String address, Duration lease) {
        HikariDataSource pool = Pools.hikari(address, "shedlock");
        LockProvider locks = new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(new JdbcTemplate(pool)).usingDbTime().build());
        List<ScheduledJob> jobs = new CopyOnWriteArrayList<>();
        return new Contenders() {
            @Override
            public Contender join(String election, String candidateId, LongConsumer granted) {
                ScheduledJob job = new ScheduledJob(locks, election, lease, granted);
                jobs.add(job);
                job.start();
                return job::close;
            }

            @Override
            public void close() {
                jobs.forEach(ScheduledJob::close);
                pool.close();
            }
        };
    }

    @Override
    public Duration lease(Duration requested) {
        return requested;
    }

    /** One candidate: a job due every {@link #TICK} that runs only under the lock, and keeps it while it runs. */
    private static final class ScheduledJob implements AutoCloseable {

        private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

        private final LockProvider locks;

        private final String name;

        private final Duration lease;

        private final LongConsumer granted;

        private @Nullable SimpleLock held;

        private long heldSince;

        ScheduledJob(LockProvider locks, String name, Duration lease, LongConsumer granted) {
            this.locks = locks;
            this.name = name;
            this.lease = lease;
            this.granted = granted;
        }

        /** Tries once before returning, so that the candidate is queued (connected, has asked) when it says READY. */
        void start() {
            try {
                scheduler.submit(this::due).get();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while joining " + name, ex);
            }
            catch (java.util.concurrent.ExecutionException ex) {
                throw new IllegalStateException("first lock attempt on " + name + " failed", ex.getCause());
            }
            scheduler.scheduleAtFixedRate(this::due, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Runs on the scheduler's one thread. */
        private void due() {
            try {
                SimpleLock lock = held;
                if (lock == null) {
                    Optional<SimpleLock> acquired = locks.lock(new LockConfiguration(Instant.now(), name, lease, Duration.ZERO));
                    if (acquired.isPresent()) {
                        held = acquired.get();
                        heldSince = System.nanoTime();
                        granted.accept(heldSince);
                    }
                }
                else if (System.nanoTime() - heldSince >= lease.toNanos() / 2) {
                    // The job is still running: keep the lock, as KeepAliveLockProvider would.
                    Optional<SimpleLock> extended = lock.extend(lease, Duration.ZERO);
                    held = extended.orElse(null);
                    heldSince = System.nanoTime();
                }
            }
            catch (RuntimeException ex) {
                System.err.println("shedlock job " + name + ": " + ex);
            }
        }

        @Override
        public void close() {
            if (scheduler.isShutdown()) {
                return;
            }
            try {
                scheduler.submit(() -> {
                    SimpleLock lock = held;
                    held = null;
                    if (lock != null) {
                        lock.unlock();
                    }
                }).get();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            catch (java.util.concurrent.ExecutionException ex) {
                System.err.println("shedlock job " + name + ": unlock failed: " + ex.getCause());
            }
            scheduler.shutdownNow();
        }
    }
}
