package dev.leader.test;

import java.time.Duration;
import dev.leader.spring.ElectionRegistry;
import dev.leader.election.AbstractElection;
import dev.leader.election.Election;
import dev.leader.election.Leadership;
import dev.leader.election.RevokeReason;

/**
 * Decides the application's elections from a test. Each method changes the election the way
 * a backend would and returns once every listener (including {@code @EventListener} methods
 * for {@code OnGrantedEvent}, {@code OnRevokedEvent} and {@code OnLeaderChangedEvent}) has
 * received the resulting events, so the test can assert on their effects at once.
 * Methods without an election name act on the default election.
 */
public final class LeadershipControl {

    /** Bounds the wait for listeners; a listener slower than this is a bug in the test. */
    static final Duration EVENT_TIMEOUT = Duration.ofSeconds(10);

    private final ElectionRegistry registry;

    public LeadershipControl(ElectionRegistry registry) {
        this.registry = registry;
    }

    /** Makes this node leader of the default election; see {@link #grant(String)}. */
    public Leadership grant() {
        return grant(registry.defaultElectionName());
    }

    /**
     * Makes this node leader of {@code election} with a fencing token larger than any earlier
     * term's; returns the current term if already leading.
     *
     * @throws IllegalStateException when {@code leader.test.mode} is {@code never}
     */
    public Leadership grant(String election) {
        TestElection target = testElection(election);
        Leadership term = target.grantNow();
        awaitEvents(target);
        return term;
    }

    /** Ends this node's term of the default election as a backend releasing it would. */
    public void revoke() {
        revoke(registry.defaultElectionName(), RevokeReason.RELEASED);
    }

    /**
     * Ends this node's term of {@code election}, if it leads, for {@code reason}:
     * {@link RevokeReason#CONNECTION_LOST} and {@link RevokeReason#LEASE_EXPIRED} leave it
     * {@code DISCONNECTED}, the others a follower. It stays so until {@link #grant(String)}.
     *
     * @return false if this node did not lead
     * @throws IllegalArgumentException for {@code CLOSED} and {@code YIELDED}: close the
     * context or call {@link #yieldLeadership(String)}
     */
    public boolean revoke(String election, RevokeReason reason) {
        TestElection target = testElection(election);
        boolean revoked = target.revokeNow(reason);
        awaitEvents(target);
        return revoked;
    }

    /** Yields the default election; see {@link #yieldLeadership(String)}. */
    public void yieldLeadership() {
        yieldLeadership(registry.defaultElectionName());
    }

    /**
     * Yields as the application would through {@link Election#yieldLeadership()}: the term
     * ends with {@link RevokeReason#YIELDED}; in mode {@code always} the next term is granted
     * at once, otherwise the election stays a follower.
     */
    public void yieldLeadership(String election) {
        TestElection target = testElection(election);
        target.yieldLeadership();
        awaitEvents(target);
    }

    /**
     * Another candidate, {@code candidateId}, leads {@code election} now: if this node led, its
     * term ends with {@link RevokeReason#PREEMPTED}; then followers see the new leader id.
     */
    public void leaderElsewhere(String election, String candidateId) {
        TestElection target = testElection(election);
        target.leaderElsewhere(candidateId);
        awaitEvents(target);
    }

    /** The application's election of that name, created and started if it does not exist yet. */
    public Election election(String name) {
        Election election = registry.election(name);
        if (election instanceof TestElection test) {
            return test;
        }
        throw new IllegalStateException("Election '" + name + "' comes from the '" + registry.backend().type()
                + "' backend, not the test backend: remove the application's own ElectionBackend bean from this test "
                + "so that @AutoConfigureLeaderElection (leader.test.mode) can provide it");
    }

    /** Waits until listeners of every election have received the events queued so far. */
    public void awaitEvents() {
        registry.elections().values().forEach(e -> {
            if (e instanceof TestElection test) {
                awaitEvents(test);
            }
        });
    }

    private TestElection testElection(String name) {
        return (TestElection) election(name);
    }

    private static void awaitEvents(TestElection election) {
        try {
            if (!election.awaitEvents(EVENT_TIMEOUT)) {
                throw new IllegalStateException(AbstractElection.logPrefix(election.name(), election.candidateId())
                        + " listeners did not receive the events within " + EVENT_TIMEOUT + "; is one blocked?");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for leader events", ex);
        }
    }
}
