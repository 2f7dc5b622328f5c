package dev.leader.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules every backend keeps (docs/design.md), checked on a real server. A subclass says
 * how to make a backend (one per simulated process) and how long its lease is. Each test uses
 * a fresh election name, so tests never see each other's state.
 */
public abstract class ElectionContractTest {

    protected final List<ElectionBackend> backends = new ArrayList<>();

    protected final List<Election> elections = new ArrayList<>();

    protected final EventLog events = new EventLog();

    protected String electionName;

    private BelieverMonitor believers;

    /** A new backend, as a separate process would have. */
    protected abstract ElectionBackend newBackend();

    /** The lease the backend was built with. */
    protected abstract Duration lease();

    /** How long a grant may take after the previous leader released, on this backend. */
    protected Duration handoffBound() {
        return Duration.ofSeconds(5);
    }

    @BeforeEach
    void startMonitor() {
        electionName = "contract-" + UUID.randomUUID().toString().substring(0, 8);
        believers = new BelieverMonitor(elections);
        believers.start();
    }

    @AfterEach
    void closeAll() throws Exception {
        believers.stop();
        for (Election election : elections) {
            election.close();
        }
        for (ElectionBackend backend : backends) {
            backend.close();
        }
        assertThat(believers.violations()).as("moments when two candidates both believed they lead").isEmpty();
    }

    /** A started candidate on a backend of its own. */
    protected Election candidate(String id) {
        ElectionBackend backend = newBackend();
        backends.add(backend);
        return candidateOn(backend, id);
    }

    protected Election candidateOn(ElectionBackend backend, String id) {
        Election election = backend.election(electionName, id);
        election.addListener(events.listenerFor(id));
        synchronized (elections) {
            elections.add(election);
        }
        election.start();
        return election;
    }

    protected Election awaitSingleLeader(List<Election> candidates) {
        await().atMost(handoffBound().plus(lease())).until(() -> candidates.stream().filter(Election::isLeader).count() == 1);
        return candidates.stream().filter(Election::isLeader).findFirst().orElseThrow();
    }

    @Test
    void oneLeaderAmongThreeCandidates() {
        List<Election> candidates = List.of(candidate("a"), candidate("b"), candidate("c"));
        Election leader = awaitSingleLeader(candidates);
        assertThat(leader.state()).isEqualTo(ElectionState.LEADER);
        assertThat(leader.leadership()).get().satisfies(l -> {
            assertThat(l.candidateId()).isEqualTo(leader.candidateId());
            assertThat(l.election()).isEqualTo(electionName);
        });
        for (Election other : candidates) {
            if (other != leader) {
                assertThat(other.isLeader()).isFalse();
                assertThat(other.leadership()).isEmpty();
            }
        }
    }

    @Test
    void followersSeeTheLeaderId() {
        List<Election> candidates = List.of(candidate("a"), candidate("b"), candidate("c"));
        Election leader = awaitSingleLeader(candidates);
        await().atMost(handoffBound()).untilAsserted(() -> {
            for (Election election : candidates) {
                assertThat(election.leaderId()).contains(leader.candidateId());
            }
        });
    }

    @Test
    void closeHandsLeadershipOver() {
        List<Election> candidates = new ArrayList<>(List.of(candidate("a"), candidate("b"), candidate("c")));
        Election first = awaitSingleLeader(candidates);
        long firstToken = first.leadership().orElseThrow().fencingToken();
        first.close();
        assertThat(first.isLeader()).isFalse();
        assertThat(first.state()).isEqualTo(ElectionState.CLOSED);
        candidates.remove(first);
        // Within the hand-off bound, well before any lease could have run out.
        await().atMost(handoffBound()).until(() -> candidates.stream().anyMatch(Election::isLeader));
        Election second = awaitSingleLeader(candidates);
        assertThat(second.leadership().orElseThrow().fencingToken()).isGreaterThan(firstToken);
    }

    @Test
    void yieldMovesLeadershipToAnotherCandidate() {
        List<Election> candidates = List.of(candidate("a"), candidate("b"));
        Election first = awaitSingleLeader(candidates);
        long firstToken = first.leadership().orElseThrow().fencingToken();
        first.yieldLeadership();
        assertThat(first.isLeader()).isFalse();
        Election other = candidates.get(0) == first ? candidates.get(1) : candidates.get(0);
        await().atMost(handoffBound()).until(other::isLeader);
        assertThat(other.leadership().orElseThrow().fencingToken()).isGreaterThan(firstToken);
        // The yielder campaigns again: once the other closes, it leads.
        other.close();
        await().atMost(handoffBound()).until(first::isLeader);
    }

    @Test
    void fencingTokensStrictlyIncreaseAcrossTerms() {
        List<Election> candidates = new ArrayList<>(List.of(candidate("a"), candidate("b"), candidate("c")));
        List<Long> tokens = new ArrayList<>();
        for (int term = 0; term < 6; term++) {
            Election leader = awaitSingleLeader(candidates);
            tokens.add(leader.leadership().orElseThrow().fencingToken());
            leader.yieldLeadership();
            await().atMost(handoffBound()).until(() -> !leader.isLeader());
        }
        assertThat(tokens).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void everyGrantIsFollowedByExactlyOneRevokeBeforeTheNext() throws Exception {
        List<Election> candidates = List.of(candidate("a"), candidate("b"));
        for (int i = 0; i < 4; i++) {
            awaitSingleLeader(candidates).yieldLeadership();
        }
        awaitSingleLeader(candidates);
        for (Election election : candidates) {
            election.close();
        }
        for (Election election : candidates) {
            if (election instanceof AbstractElection abstractElection) {
                assertThat(abstractElection.awaitEventsDelivered(Duration.ofSeconds(5))).isTrue();
            }
        }
        for (String id : List.of("a", "b")) {
            List<EventLog.Kind> kinds = events.entries().stream()
                    .filter(e -> e.candidateId().equals(id) && e.kind() != EventLog.Kind.LEADER_CHANGED)
                    .map(EventLog.Entry::kind).toList();
            for (int i = 0; i < kinds.size(); i++) {
                assertThat(kinds.get(i)).as("event %d of %s: %s", i, id, kinds)
                        .isEqualTo(i % 2 == 0 ? EventLog.Kind.GRANTED : EventLog.Kind.REVOKED);
            }
            assertThat(kinds.size() % 2).as("every grant of %s revoked by close", id).isZero();
        }
    }

    @Test
    void aBlockingOrThrowingListenerDoesNotStallTheElection() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger throwingCalls = new AtomicInteger();
        Election a = backendless("a");
        a.addListener(new ElectionListener() {
            @Override
            public void granted(Leadership leadership) {
                throwingCalls.incrementAndGet();
                throw new IllegalStateException("listener failure, on purpose");
            }
        });
        a.addListener(new ElectionListener() {
            @Override
            public void granted(Leadership leadership) {
                try {
                    release.await();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        a.start();
        Election b = candidate("b");
        List<Election> both = List.of(a, b);
        Election first = awaitSingleLeader(both);
        first.yieldLeadership();
        Election second = first == a ? b : a;
        await().atMost(handoffBound()).until(second::isLeader);
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> throwingCalls.get() >= 1);
    }

    private Election backendless(String id) {
        ElectionBackend backend = newBackend();
        backends.add(backend);
        Election election = backend.election(electionName, id);
        election.addListener(events.listenerFor(id));
        synchronized (elections) {
            elections.add(election);
        }
        return election;
    }

    @Test
    void closedCandidateNeverLeadsAgain() {
        Election a = candidate("a");
        await().atMost(handoffBound().plus(lease())).until(a::isLeader);
        a.close();
        a.start();
        a.yieldLeadership();
        assertThat(a.isLeader()).isFalse();
        assertThat(a.state()).isEqualTo(ElectionState.CLOSED);
        Election b = candidate("b");
        await().atMost(handoffBound()).until(b::isLeader);
        assertThat(a.isLeader()).isFalse();
    }

    @Test
    void yieldStopsAdmittingWaitsForAdmittedWorkThenHandsOver() throws Exception {
        Election first = stepsDownOnlyOnceAdmittedWorkEnded(Election::yieldLeadership);
        // Yielding is not leaving: it is a candidate still.
        assertThat(first.state()).isEqualTo(ElectionState.FOLLOWER);
    }

    @Test
    void withdrawnLeaderHandsOverAndLeadsAgainOnlyOnceStarted() {
        List<Election> candidates = List.of(candidate("a"), candidate("b"));
        Election first = awaitSingleLeader(candidates);
        Election other = candidates.get(0) == first ? candidates.get(1) : candidates.get(0);
        long firstToken = first.leadership().orElseThrow().fencingToken();
        first.withdraw();
        assertThat(first.isLeader()).isFalse();
        assertThat(first.state()).isEqualTo(ElectionState.WITHDRAWN);
        await().atMost(handoffBound()).until(other::isLeader);
        long otherToken = other.leadership().orElseThrow().fencingToken();
        assertThat(otherToken).isGreaterThan(firstToken);
        await().atMost(Duration.ofSeconds(5)).until(() -> events.entries().stream().anyMatch(e ->
                e.candidateId().equals(first.candidateId()) && e.kind() == EventLog.Kind.REVOKED
                        && e.detail().equals(RevokeReason.WITHDRAWN.name())));
        // Withdrawn, it is no candidate: nobody is left to lead once the other closes.
        other.close();
        await().during(handoffBound()).atMost(handoffBound().plusSeconds(5))
                .until(() -> !first.isLeader() && first.state() == ElectionState.WITHDRAWN);
        first.start();
        await().atMost(handoffBound().plus(lease())).until(first::isLeader);
        assertThat(first.leadership().orElseThrow().fencingToken()).isGreaterThan(otherToken);
    }

    @Test
    void withdrawStopsAdmittingAndWaitsForAdmittedWorkBeforeReleasing() throws Exception {
        Election first = stepsDownOnlyOnceAdmittedWorkEnded(Election::withdraw);
        assertThat(first.state()).isEqualTo(ElectionState.WITHDRAWN);
    }

    /**
     * A leader told to step down ({@code stepDown}, on a thread of its own) stops admitting, asks
     * admitted work to end and holds the term until it has; then the other candidate is granted a
     * larger token. Returns the leader that stepped down.
     */
    private Election stepsDownOnlyOnceAdmittedWorkEnded(Consumer<Election> stepDown) throws Exception {
        List<Election> candidates = List.of(candidate("a"), candidate("b"));
        Election first = awaitSingleLeader(candidates);
        Election second = candidates.get(0) == first ? candidates.get(1) : candidates.get(0);
        Admission work = first.admit().orElseThrow();
        CountDownLatch releaseAsked = new CountDownLatch(1);
        work.onRelease(releaseAsked::countDown);
        Thread steppingDown = new Thread(() -> stepDown.accept(first), "stepping-down");
        steppingDown.start();
        assertThat(releaseAsked.await(5, TimeUnit.SECONDS)).as("the work was asked to end").isTrue();
        assertThat(first.admit()).as("no new work while draining").isEmpty();
        // The running work still holds the term: nobody else may lead while it runs.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !second.isLeader());
        assertThat(first.isLeader()).isTrue();
        work.close();
        steppingDown.join(handoffBound().toMillis());
        await().atMost(handoffBound()).until(second::isLeader);
        assertThat(second.leadership().orElseThrow().fencingToken()).isGreaterThan(work.leadership().fencingToken());
        return first;
    }

    /** The {@code @LeaderOnly} guard's way in: work counted without an {@link Admission} holds the term as one does. */
    @Test
    void workAdmittedWithoutAnAdmissionHoldsTheTermUntilItEnds() throws Exception {
        List<Election> candidates = List.of(candidate("a"), candidate("b"));
        AbstractElection first = (AbstractElection) awaitSingleLeader(candidates);
        AbstractElection second = (AbstractElection) (candidates.get(0) == first ? candidates.get(1) : candidates.get(0));
        assertThat(second.tryAdmit()).as("a follower admits nothing").isNull();
        Leadership term = first.tryAdmit();
        assertThat(term).isEqualTo(first.leadership().orElseThrow());
        Thread yielding = new Thread(first::yieldLeadership, "yielding");
        yielding.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> admitsNothing(first));
        // The counted work still holds the term: nobody else may lead while it runs.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !second.isLeader());
        assertThat(first.isLeader()).isTrue();
        first.endAdmitted();
        yielding.join(handoffBound().toMillis());
        await().atMost(handoffBound()).until(second::isLeader);
        assertThat(second.leadership().orElseThrow().fencingToken()).isGreaterThan(term.fencingToken());
    }

    private static boolean admitsNothing(AbstractElection election) {
        if (election.tryAdmit() != null) {
            election.endAdmitted();
            return false;
        }
        return true;
    }

    @Test
    void withdrawnFollowerLeavesTheLineAndTakesNoTermUntilStarted() {
        // Joined in this order, b is next in line wherever there is a line (a queue of nodes,
        // keys or lock waiters; the lowest id on the LAN): the hand-off goes past it to c only if
        // it really left.
        Election a = candidate("a");
        await().atMost(handoffBound().plus(lease())).until(a::isLeader);
        Election b = candidate("b");
        await().atMost(handoffBound()).until(() -> b.leaderId().equals(Optional.of("a")));
        Election c = candidate("c");
        await().atMost(handoffBound()).until(() -> c.leaderId().equals(Optional.of("a")));
        b.withdraw();
        assertThat(b.state()).isEqualTo(ElectionState.WITHDRAWN);
        long firstToken = a.leadership().orElseThrow().fencingToken();
        a.close();
        await().atMost(handoffBound()).until(c::isLeader);
        long cToken = c.leadership().orElseThrow().fencingToken();
        assertThat(cToken).isGreaterThan(firstToken);
        c.close();
        await().during(handoffBound()).atMost(handoffBound().plusSeconds(5))
                .until(() -> !b.isLeader() && b.state() == ElectionState.WITHDRAWN);
        b.start();
        await().atMost(handoffBound().plus(lease())).until(b::isLeader);
        assertThat(b.leadership().orElseThrow().fencingToken()).isGreaterThan(cToken);
        assertThat(events.count("b", EventLog.Kind.REVOKED)).as("a follower's withdrawal ends no term").isZero();
    }

    @Test
    void aSecondElectionOfOneNameOnOneBackendIsRefusedUntilTheFirstCloses() {
        ElectionBackend backend = newBackend();
        backends.add(backend);
        Election first = candidateOn(backend, "a");
        assertThatIllegalStateException().isThrownBy(() -> backend.election(electionName, "a"))
                .withMessageContaining(electionName).withMessageContaining("already open");
        assertThatIllegalStateException().isThrownBy(() -> backend.election(electionName, "b"));
        first.close();
        Election again = candidateOn(backend, "a");
        await().atMost(handoffBound().plus(lease())).until(again::isLeader);
    }

    @Test
    void leadershipsOfTwoElectionsAreIndependent() {
        Election a = candidate("a");
        ElectionBackend other = newBackend();
        backends.add(other);
        Election second = other.election(electionName + "-x", "b");
        elections.add(second);
        second.start();
        await().atMost(handoffBound().plus(lease())).until(() -> a.isLeader() && second.isLeader());
    }

    /**
     * Samples every candidate's {@link Election#isLeader()} continuously and records any moment
     * when two of them answered true: the "at most one believer" rule, checked throughout
     * every test.
     */
    static final class BelieverMonitor {

        private final List<Election> elections;

        private final AtomicBoolean running = new AtomicBoolean(true);

        private final List<String> violations = new ArrayList<>();

        private Thread thread;

        BelieverMonitor(List<Election> elections) {
            this.elections = elections;
        }

        void start() {
            thread = new Thread(() -> {
                while (running.get()) {
                    List<Election> snapshot;
                    synchronized (elections) {
                        snapshot = List.copyOf(elections);
                    }
                    Map<String, List<String>> byName = new HashMap<>();
                    for (Election election : snapshot) {
                        if (election.isLeader()) {
                            byName.computeIfAbsent(election.name(), n -> new ArrayList<>()).add(election.candidateId());
                        }
                    }
                    byName.forEach((name, leaders) -> {
                        if (leaders.size() > 1) {
                            violations.add(name + ": " + leaders);
                        }
                    });
                    Thread.onSpinWait();
                    java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                }
            }, "believer-monitor");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }

        List<String> violations() {
            return violations;
        }

        Optional<String> first() {
            return violations.stream().findFirst();
        }
    }
}
