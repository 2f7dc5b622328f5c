package dev.leader.bench.shedlock;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

import dev.leader.bench.RedisServers;

/**
 * {@code @SchedulerLock} on the same method: "leader" is a free lock (every call locks and
 * unlocks in Redis), "follower" a lock another node holds (every call is refused by Redis).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ShedLockBenchmark {

    @Param({ "leader", "follower" })
    public String role = "leader";

    private RedisServers.@Nullable Server redis;

    private @Nullable AnnotationConfigApplicationContext context;

    private @Nullable SimpleLock heldElsewhere;

    private LockedJob job = new LockedJob();

    @Setup(Level.Trial)
    public void start() throws IOException {
        redis = RedisServers.start();
        context = new AnnotationConfigApplicationContext();
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("bench",
                Map.of("bench.redis.port", redis.port())));
        context.register(ShedLockConfiguration.class);
        context.refresh();
        job = context.getBean(LockedJob.class);
        if (role.equals("follower")) {
            LockProvider provider = context.getBean(LockProvider.class);
            Optional<SimpleLock> lock = provider.lock(new LockConfiguration(Instant.now(), LockedJob.LOCK, Duration.ofHours(1),
                    Duration.ZERO));
            heldElsewhere = lock.orElseThrow(() -> new IllegalStateException("could not take the lock for the follower role"));
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (heldElsewhere != null) {
            heldElsewhere.unlock();
        }
        if (context != null) {
            context.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Benchmark
    public void locked() {
        job.run();
    }
}
