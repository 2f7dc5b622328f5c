package dev.leader.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;
import dev.leader.election.RevokeReason;

/**
 * Samples {@link Election#isLeader()} of candidates in this JVM every 0.2 ms, and records when
 * each first and last believed, every moment two believed at once, and the tokens granted.
 */
final class Beliefs implements AutoCloseable {

    private final List<Election> elections = new CopyOnWriteArrayList<>();

    private final Map<String, Long> firstBelief = new ConcurrentHashMap<>();

    private final Map<String, Long> lastBelief = new ConcurrentHashMap<>();

    private final List<String> overlaps = new CopyOnWriteArrayList<>();

    private final List<Long> tokens = new CopyOnWriteArrayList<>();

    private final List<String> revocations = new CopyOnWriteArrayList<>();

    private final Thread sampler;

    private volatile boolean running = true;

    Beliefs() {
        sampler = new Thread(this::sample, "beliefs");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Starts watching {@code election}; call before it starts. */
    Election watch(Election election) {
        election.addListener(new ElectionListener() {
            @Override
            public void granted(Leadership leadership) {
                tokens.add(leadership.fencingToken());
            }

            @Override
            public void revoked(Leadership leadership, RevokeReason reason) {
                revocations.add(election.candidateId() + " " + reason);
            }
        });
        elections.add(election);
        return election;
    }

    private void sample() {
        while (running) {
            List<String> believers = new ArrayList<>();
            for (Election election : elections) {
                if (election.isLeader()) {
                    believers.add(election.candidateId());
                }
            }
            long now = System.nanoTime();
            for (String id : believers) {
                firstBelief.putIfAbsent(id, now);
                lastBelief.put(id, now);
            }
            if (believers.size() > 1) {
                overlaps.add(believers.toString());
            }
            LockSupport.parkNanos(200_000);
        }
    }

    /** When {@code id} was last seen believing (nanoTime), or 0 if never. */
    long lastBelief(String id) {
        return lastBelief.getOrDefault(id, 0L);
    }

    /** When {@code id} was first seen believing after {@link #forget(String)}, or 0. */
    long firstBelief(String id) {
        return firstBelief.getOrDefault(id, 0L);
    }

    /** Forgets when {@code id} believed, to see when it believes next. */
    void forget(String id) {
        firstBelief.remove(id);
    }

    List<String> overlaps() {
        return overlaps;
    }

    /** Every fencing token granted so far, in the order the grants were heard. */
    List<Long> tokens() {
        return List.copyOf(tokens);
    }

    List<String> revocations() {
        return List.copyOf(revocations);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        sampler.join();
    }
}
