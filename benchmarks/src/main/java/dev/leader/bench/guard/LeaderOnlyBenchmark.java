package dev.leader.bench.guard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
import org.jspecify.annotations.Nullable;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.leader.spring.ElectionRegistry;
import dev.leader.election.Election;
import dev.leader.election.ElectionState;
import dev.leader.local.LocalElectionBackend;

/**
 * A {@code @LeaderOnly} call against the same plain call, in a Boot context with the local
 * backend, once as leader and once as follower (another candidate holds the lock). No
 * {@code ObservationRegistry}: the guard itself, not Micrometer's per-call observation, which
 * {@link ObservedLeaderOnlyBenchmark} measures.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LeaderOnlyBenchmark {

    static final String ELECTION = "bench-guard";

    @Param({ "leader", "follower" })
    public String role = "leader";

    /** What the trial started besides the context (the follower's lock holder, a server), closed after it. */
    final List<AutoCloseable> resources = new ArrayList<>();

    private @Nullable ConfigurableApplicationContext context;

    private GuardedJob guarded = new GuardedJob();

    private PlainJob plain = new PlainJob();

    private ProxiedJob proxied = new ProxiedJob();

    @Setup(Level.Trial)
    public void start() throws Exception {
        context = new SpringApplicationBuilder(GuardApplication.class)
                .web(WebApplicationType.NONE)
                .properties("leader.election=" + ELECTION, "spring.main.banner-mode=off", "logging.level.root=WARN")
                .properties(backend())
                .properties(observations())
                .run();
        Election election = context.getBean(ElectionRegistry.class).defaultElection();
        awaitState(election, role.equals("leader") ? ElectionState.LEADER : ElectionState.FOLLOWER);
        guarded = context.getBean(GuardedJob.class);
        plain = context.getBean(PlainJob.class);
        proxied = context.getBean(ProxiedJob.class);
        if (role.equals("leader") != election.isLeader()) {
            throw new IllegalStateException("wanted role " + role + " but isLeader() is " + election.isLeader());
        }
    }

    /**
     * The backend's properties: the local backend; for a follower, another candidate of this JVM
     * holds the lock first.
     */
    String[] backend() throws Exception {
        Path directory = Files.createTempDirectory("leader-bench-guard");
        if (role.equals("follower")) {
            LocalElectionBackend holderBackend = new LocalElectionBackend(directory);
            resources.add(holderBackend);
            Election holder = holderBackend.election(ELECTION, "holder");
            holder.start();
            awaitState(holder, ElectionState.LEADER);
        }
        return new String[] { "leader.backend=local", "leader.local.directory=" + directory };
    }

    /** Properties that configure observations; by default none, so that no ObservationRegistry exists. */
    String[] observations() {
        return new String[] { "spring.autoconfigure.exclude="
                + "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" };
    }

    static void awaitState(Election election, ElectionState wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (election.state() != wanted) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("election " + election.name() + " of " + election.candidateId()
                        + " is " + election.state() + ", wanted " + wanted);
            }
            Thread.sleep(10);
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        if (context != null) {
            context.close();
        }
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    @Benchmark
    public void guarded() {
        guarded.run();
    }

    @Benchmark
    public void proxied() {
        proxied.run();
    }

    @Benchmark
    public void plain() {
        plain.run();
    }
}
