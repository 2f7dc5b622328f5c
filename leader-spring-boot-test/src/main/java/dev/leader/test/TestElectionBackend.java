package dev.leader.test;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import dev.leader.election.BackendStatus;
import dev.leader.election.Election;
import dev.leader.election.ElectionBackend;
import dev.leader.election.LeaseDeadline;
import dev.leader.election.OpenElections;

/**
 * A backend of type {@code test} whose "server" is the test itself: no network, no files.
 * Fencing tokens come from one counter per election name, so they grow across every term of
 * that name, also across elections re-created by a restarted context using this backend.
 */
public final class TestElectionBackend implements ElectionBackend {

    private final LeadershipMode mode;

    private final ConcurrentMap<String, AtomicLong> tokens = new ConcurrentHashMap<>();

    private final OpenElections<TestElection> elections = new OpenElections<>();

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
        return elections.open(name, () -> new TestElection(name, candidateId, mode, tokens.computeIfAbsent(name, n -> new AtomicLong())));
    }

    /** Terms of the test backend end only when the test ends them. */
    @Override
    public Duration lease() {
        return LeaseDeadline.UNBOUNDED;
    }

    @Override
    public BackendStatus status() {
        return BackendStatus.up(null, null);
    }

    @Override
    public void close() {
        elections.closeAll();
    }
}
