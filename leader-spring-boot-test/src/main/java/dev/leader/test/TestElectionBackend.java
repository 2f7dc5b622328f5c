package dev.leader.test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import dev.leader.election.BackendStatus;
import dev.leader.election.Election;
import dev.leader.election.ElectionBackend;
import dev.leader.election.ElectionNames;

/**
 * A backend of type {@code test} whose "server" is the test itself: no network, no files.
 * Fencing tokens come from one counter per election name, so they grow across every term of
 * that name, also across elections re-created by a restarted context using this backend.
 */
public final class TestElectionBackend implements ElectionBackend {

    private final LeadershipMode mode;

    private final ConcurrentMap<String, AtomicLong> tokens = new ConcurrentHashMap<>();

    private final Set<TestElection> elections = ConcurrentHashMap.newKeySet();

    private volatile boolean closed;

    public TestElectionBackend(LeadershipMode mode) {
        this.mode = mode;
    }

    public LeadershipMode mode() {
        return mode;
    }

    @Override
    public String type() {
        return "test";
    }

    @Override
    public Election election(String name, String candidateId) {
        if (closed) {
            throw new IllegalStateException("backend closed");
        }
        ElectionNames.requireValid(name);
        TestElection election = new TestElection(name, candidateId, mode, tokens.computeIfAbsent(name, n -> new AtomicLong()));
        elections.add(election);
        return election;
    }

    @Override
    public BackendStatus status() {
        return BackendStatus.up(null, null);
    }

    @Override
    public void close() {
        closed = true;
        elections.forEach(TestElection::close);
        elections.clear();
    }
}
