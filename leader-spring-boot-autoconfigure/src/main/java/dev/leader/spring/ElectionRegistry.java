package dev.leader.spring;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import dev.leader.election.Election;
import dev.leader.election.ElectionBackend;
import dev.leader.election.ElectionNames;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.Lifecycle;

/**
 * The application's elections by name: the default one, every name a {@link LeaderOnly} uses,
 * and any other the application asks for. Also where lifecycle beans are bound to an election.
 * {@link #stop(Duration)} is the graceful end of the application's leadership: every election
 * stops admitting leader-only work, running work is awaited, and only then is leadership
 * released, so that the next leader never overlaps this one's work.
 */
public class ElectionRegistry {

    private static final Logger log = LoggerFactory.getLogger(ElectionRegistry.class);

    private final ElectionBackend backend;

    private final String candidateId;

    private final String defaultElection;

    private final Duration drainTimeout;

    private final List<ElectionCustomizer> customizers;

    private final ConcurrentMap<String, Election> elections = new ConcurrentHashMap<>();

    private volatile boolean running;

    /**
     * @param drainTimeout how long a yield or shutdown waits for running leader-only work
     * ({@code leader.shutdown-timeout})
     */
    public ElectionRegistry(ElectionBackend backend, String candidateId, String defaultElection, Duration drainTimeout,
            List<ElectionCustomizer> customizers) {
        this.backend = backend;
        this.candidateId = candidateId;
        this.defaultElection = ElectionNames.requireValid(defaultElection);
        this.drainTimeout = drainTimeout;
        this.customizers = List.copyOf(customizers);
    }

    public String candidateId() {
        return candidateId;
    }

    public ElectionBackend backend() {
        return backend;
    }

    public String defaultElectionName() {
        return defaultElection;
    }

    public Election defaultElection() {
        return election(defaultElection);
    }

    /** The election of that name, created (and started, if the registry runs) on first use. */
    public Election election(@Nullable String name) {
        String key = (name == null || name.isEmpty()) ? defaultElection : name;
        Election existing = elections.get(key);
        if (existing != null) {
            return existing;
        }
        boolean[] created = new boolean[1];
        Election election = elections.computeIfAbsent(key, n -> {
            Election e = backend.election(ElectionNames.requireValid(n), candidateId);
            e.setDrainTimeout(drainTimeout);
            customizers.forEach(c -> c.customize(e));
            created[0] = true;
            return e;
        });
        if (created[0] && running) {
            election.start();
        }
        return election;
    }

    /** An election that already exists; for endpoints, which must not create one. */
    public Optional<Election> find(String name) {
        return Optional.ofNullable(elections.get(name));
    }

    /** Every election, by name. */
    public Map<String, Election> elections() {
        return new TreeMap<>(elections);
    }

    /**
     * Closes an election and forgets it: waits for its running leader-only work, releases
     * leadership if held, and stops campaigning. A later {@link #election(String)} of the same
     * name campaigns anew.
     *
     * @return false if no election of that name existed
     */
    public boolean close(String name) {
        Election election = elections.remove(name);
        if (election == null) {
            return false;
        }
        election.close();
        return true;
    }

    /**
     * Binds {@code lifecycle} to an election: it is started when this application is granted the
     * election, and stopped when the term ends; on a yield or shutdown it is stopped (and, for a
     * {@code SmartLifecycle}, its asynchronous stop awaited) before leadership is released. Give
     * it a lifecycle the context does not start by itself (for example a listener container
     * with auto-startup off). {@code @LeaderOnly} on a lifecycle bean binds it this way.
     *
     * @param election the election's name, empty for the default election
     * @return the binding; closing it stops the lifecycle if running and unbinds it
     */
    public AutoCloseable bind(String election, Lifecycle lifecycle) {
        Election target = election(election);
        LifecycleBinding binding = new LifecycleBinding(target, lifecycle, drainTimeout);
        target.addListener(binding);
        binding.bindNow();
        return () -> {
            target.removeListener(binding);
            binding.unbind();
        };
    }

    public boolean isRunning() {
        return running;
    }

    /** Starts campaigning in every election made so far, and in every later one as it is made. */
    public void start() {
        election(defaultElection);
        running = true;
        elections.values().forEach(Election::start);
    }

    /**
     * Steps out of every election until {@link #start()} (see {@link Election#withdraw()}): stops
     * admitting leader-only work in every election at once, waits up to {@code timeout} in all for
     * running work and bound lifecycles to stop, then releases leadership and stops campaigning.
     * Elections made meanwhile do not campaign either.
     */
    public void withdraw(Duration timeout) {
        running = false;
        elections.values().forEach(Election::stopAdmitting);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Election election : elections.values()) {
            election.setDrainTimeout(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            try {
                election.withdraw();
            }
            finally {
                election.setDrainTimeout(drainTimeout);
            }
        }
        if (deadline - System.nanoTime() < 0) {
            log.warn("[id={}] leader-only work still running after {}; leadership was released anyway", candidateId, timeout);
        }
    }

    /**
     * Stops admitting leader-only work in every election at once, waits up to {@code timeout} in
     * all for running work, then closes every election, which releases leadership at once.
     */
    public void stop(Duration timeout) {
        running = false;
        elections.values().forEach(Election::stopAdmitting);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Election election : elections.values()) {
            election.setDrainTimeout(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            election.close();
        }
        if (deadline - System.nanoTime() < 0) {
            log.warn("[id={}] leader-only work still running after {}; leadership was released anyway", candidateId, timeout);
        }
    }
}
