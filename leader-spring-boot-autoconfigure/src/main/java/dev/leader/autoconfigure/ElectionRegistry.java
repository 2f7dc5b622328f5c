package dev.leader.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import dev.leader.election.Election;
import dev.leader.election.ElectionBackend;
import dev.leader.election.ElectionNames;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's elections by name: the default one and every name a {@link LeaderOnly}
 * uses. Also the shutdown gate of guarded calls: {@link #stop(Duration)} first stops admitting
 * new calls, then waits for running ones, and only then releases leadership, so that the next
 * leader never overlaps this one's work.
 */
public class ElectionRegistry {

    private static final Logger log = LoggerFactory.getLogger(ElectionRegistry.class);

    private final ElectionBackend backend;

    private final String candidateId;

    private final String defaultElection;

    private final List<ElectionCustomizer> customizers;

    private final Set<String> guardedNames;

    private final ConcurrentMap<String, Election> elections = new ConcurrentHashMap<>();

    private final Object gate = new Object();

    // Lock-free on the guarded call's path: enter() increments, then checks admitting; stop()
    // clears admitting, then reads the count. Whichever order they run in, stop() either sees
    // the call or the call sees the gate closed.
    private final AtomicInteger runningCalls = new AtomicInteger();

    private volatile boolean admitting = true;

    private volatile boolean running;

    /**
     * @param guardedNames the election names {@link LeaderOnly} methods use; read at
     * {@link #start()}, so it may still grow while beans are created
     */
    public ElectionRegistry(ElectionBackend backend, String candidateId, String defaultElection,
            List<ElectionCustomizer> customizers, Set<String> guardedNames) {
        this.backend = backend;
        this.candidateId = candidateId;
        this.defaultElection = ElectionNames.requireValid(defaultElection);
        this.customizers = List.copyOf(customizers);
        this.guardedNames = guardedNames;
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

    public boolean isRunning() {
        return running;
    }

    /**
     * Starts campaigning in the default election and in every election a {@link LeaderOnly}
     * names; called once the application context is ready.
     */
    public void start() {
        admitting = true;
        election(defaultElection);
        guardedNames.forEach(this::election);
        running = true;
        elections.values().forEach(Election::start);
    }

    /**
     * Stops admitting guarded calls, waits up to {@code timeout} for running ones, then closes
     * every election, which releases leadership at once.
     */
    public void stop(Duration timeout) {
        if (!awaitCallsDrained(timeout)) {
            log.warn("[id={}] {} @LeaderOnly call(s) still running after {}; releasing leadership anyway",
                    candidateId, runningCalls(), timeout);
        }
        running = false;
        elections.values().forEach(Election::close);
    }

    /** Enters a guarded call; false once shutdown has begun. Pair with {@link #exit()}. */
    boolean enter() {
        runningCalls.incrementAndGet();
        if (!admitting) {
            exit();
            return false;
        }
        return true;
    }

    void exit() {
        if (runningCalls.decrementAndGet() == 0 && !admitting) {
            synchronized (gate) {
                gate.notifyAll();
            }
        }
    }

    private int runningCalls() {
        return runningCalls.get();
    }

    private boolean awaitCallsDrained(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        admitting = false;
        synchronized (gate) {
            while (runningCalls.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(gate, left);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }
}
