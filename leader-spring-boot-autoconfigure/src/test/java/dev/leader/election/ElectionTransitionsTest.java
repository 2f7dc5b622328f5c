package dev.leader.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The state machine's own rules under concurrency: transitions that race are heard in the order
 * they happened, the lease watchdog survives racing renewals, a late renewal never arms another
 * term, and close waits for its last event. The races are driven directly through the methods
 * backends call, as their threads do (a ZooKeeper event thread revoking while the candidate
 * thread grants, keep-alive replies renewing from two threads); each backend's contract test
 * checks the same rules on its real server.
 */
class ElectionTransitionsTest {

    private static final Duration LEASE = Duration.ofMillis(600);

    private static final Duration MARGIN = Duration.ofMillis(60);

    private final List<DrivenElection> elections = new ArrayList<>();

    @AfterEach
    void closeAll() {
        elections.forEach(Election::close);
    }

    @Test
    void aRevokeRacingItsGrantIsNeverHeardBeforeTheGrant() throws Exception {
        DrivenElection election = started("a");
        EventLog events = new EventLog();
        election.addListener(events.listenerFor("a"));
        for (int token = 1; token <= 3000; token++) {
            AtomicBoolean granted = new AtomicBoolean();
            Thread revoker = new Thread(() -> {
                // Until this term is revoked, here or, on a starved machine, by the lease watchdog.
                while (!election.revokeCurrent(RevokeReason.CONNECTION_LOST, ElectionState.FOLLOWER)
                        && !(granted.get() && election.leadership().isEmpty())) {
                    Thread.onSpinWait();
                }
            });
            revoker.start();
            assertThat(election.grant(token, System.nanoTime())).isTrue();
            granted.set(true);
            revoker.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(revoker.isAlive()).as("the revoker of term %d is done", token).isFalse();
        }
        election.close();
        assertThat(election.awaitEventsDelivered(Duration.ofSeconds(10))).isTrue();
        List<EventLog.Entry> transitions = events.entries().stream()
                .filter(e -> e.kind() != EventLog.Kind.LEADER_CHANGED).toList();
        // A listener that falls behind may skip whole terms it never heard of; never half of one.
        long lastToken = 0;
        for (int i = 0; i < transitions.size(); i++) {
            EventLog.Entry entry = transitions.get(i);
            if (i % 2 == 0) {
                assertThat(entry.kind()).as("event %d: %s", i, entry).isEqualTo(EventLog.Kind.GRANTED);
                assertThat(entry.fencingToken()).as("event %d: %s", i, entry).isGreaterThan(lastToken);
            }
            else {
                assertThat(entry.kind()).as("event %d: %s", i, entry).isEqualTo(EventLog.Kind.REVOKED);
                assertThat(entry.fencingToken()).as("event %d: %s", i, entry).isEqualTo(lastToken);
            }
            lastToken = entry.fencingToken();
        }
        assertThat(transitions).last().extracting(EventLog.Entry::fencingToken).isEqualTo(3000L);
    }

    @Test
    void aTermWhoseLeaseLapsedBeforeItsGrantWasDeliveredIsNeverHeard() throws Exception {
        // As a process stopped (SIGSTOP) or starved between a grant and its delivery: the
        // delivery thread is held by a listener until the term's deadline has passed.
        DrivenElection election = started("a");
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        election.addListener(new ElectionListener() {
            @Override
            public void leaderChanged(Optional<String> leaderId) {
                if (leaderId.filter("b"::equals).isPresent()) {
                    holding.countDown();
                    awaitQuietly(release);
                }
            }
        });
        EventLog events = new EventLog();
        election.addListener(events.listenerFor("a"));
        election.follow("b");
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(election.grant(1, System.nanoTime())).isTrue();
        await().atMost(LEASE.multipliedBy(5)).until(() -> !election.isLeader());
        release.countDown();
        assertThat(election.awaitEventsDelivered(Duration.ofSeconds(10))).isTrue();
        assertThat(events.entries()).as("events of term 1").noneMatch(e -> e.fencingToken() == 1);
        // The next term is heard as usual.
        assertThat(election.grant(2, System.nanoTime())).isTrue();
        assertThat(election.awaitEventsDelivered(Duration.ofSeconds(10))).isTrue();
        assertThat(events.entries()).anyMatch(e -> e.kind() == EventLog.Kind.GRANTED && e.fencingToken() == 2);
    }

    @Test
    void aGrantOnAConfirmationOlderThanHalfTheBeliefIsRefused() {
        DrivenElection election = started("a");
        long belief = LEASE.minus(MARGIN).toNanos();
        assertThat(election.grant(1, System.nanoTime() - belief * 3 / 4)).isFalse();
        assertThat(election.state()).isEqualTo(ElectionState.FOLLOWER);
        assertThat(election.grant(1, System.nanoTime() - belief / 4)).isTrue();
        assertThat(election.isLeader()).isTrue();
    }

    @Test
    void renewalsRacingFromTwoThreadsNeverLeaveATermWithoutItsWatchdog() throws Exception {
        for (int round = 0; round < 20; round++) {
            DrivenElection election = started("a" + round);
            CountDownLatch revoked = new CountDownLatch(1);
            election.addListener(new ElectionListener() {
                @Override
                public void revoked(Leadership leadership, RevokeReason reason) {
                    revoked.countDown();
                }
            });
            assertThat(election.grant(1, System.nanoTime())).isTrue();
            Leadership term = election.leadership().orElseThrow();
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            Runnable renewer = () -> {
                while (System.nanoTime() - until < 0) {
                    election.renewed(term, System.nanoTime());
                }
            };
            CompletableFuture<Void> first = CompletableFuture.runAsync(renewer);
            CompletableFuture<Void> second = CompletableFuture.runAsync(renewer);
            CompletableFuture.allOf(first, second).get(10, TimeUnit.SECONDS);
            // Renewals stopped: the watchdog must revoke within a lease of the last one.
            assertThat(revoked.await(LEASE.toMillis() + 2_000, TimeUnit.MILLISECONDS))
                    .as("round %d: revoked after the last renewal's deadline", round).isTrue();
            assertThat(election.isLeader()).isFalse();
        }
    }

    @Test
    void aLateRenewalOfAnEndedTermDoesNotMoveTheNextTermsDeadline() {
        DrivenElection election = started("a");
        assertThat(election.grant(1, System.nanoTime())).isTrue();
        Leadership first = election.leadership().orElseThrow();
        election.revoke(first, RevokeReason.PREEMPTED, ElectionState.FOLLOWER);
        long belief = LEASE.minus(MARGIN).toNanos();
        long secondConfirmed = System.nanoTime() - belief / 3;
        assertThat(election.grant(2, secondConfirmed)).isTrue();
        // The reply to a renewal of the first term, sent just now, arrives late.
        election.renewed(first, System.nanoTime());
        assertThat(election.lease().deadlineNanos()).isEqualTo(secondConfirmed + belief);
    }

    @Test
    void aRenewalAfterTheTermEndedDoesNotArmTheLease() {
        DrivenElection election = started("a");
        assertThat(election.grant(1, System.nanoTime())).isTrue();
        Leadership term = election.leadership().orElseThrow();
        election.revoke(term, RevokeReason.PREEMPTED, ElectionState.FOLLOWER);
        election.renewed(term, System.nanoTime());
        assertThat(election.lease().isValid()).isFalse();
    }

    @Test
    void closeReturnsOnlyOnceListenersHeardTheRevoke() throws Exception {
        DrivenElection election = started("a");
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean heard = new AtomicBoolean();
        election.addListener(new ElectionListener() {
            @Override
            public void revoked(Leadership leadership, RevokeReason reason) {
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                heard.set(reason == RevokeReason.CLOSED);
            }
        });
        assertThat(election.grant(1, System.nanoTime())).isTrue();
        Thread releaser = new Thread(() -> {
            await().atMost(Duration.ofSeconds(10)).until(() -> entered.getCount() == 0);
            release.countDown();
        });
        releaser.start();
        election.close();
        assertThat(heard).as("revoked(CLOSED) delivered when close() returns").isTrue();
        releaser.join();
    }

    @Test
    void closeFromAListenerDoesNotWaitForItself() throws Exception {
        DrivenElection election = started("a");
        CompletableFuture<ElectionState> afterClose = new CompletableFuture<>();
        election.addListener(new ElectionListener() {
            @Override
            public void granted(Leadership leadership) {
                election.close();
                afterClose.complete(election.state());
            }
        });
        assertThat(election.grant(1, System.nanoTime())).isTrue();
        assertThat(afterClose.get(5, TimeUnit.SECONDS)).isEqualTo(ElectionState.CLOSED);
    }

    @Test
    void aWithdrawnCandidateIsGrantedNothingUntilStartedAgain() throws Exception {
        DrivenElection election = started("a");
        EventLog events = new EventLog();
        election.addListener(events.listenerFor("a"));
        assertThat(election.grant(1, System.nanoTime())).isTrue();
        election.withdraw();
        assertThat(election.state()).isEqualTo(ElectionState.WITHDRAWN);
        assertThat(election.isLeader()).isFalse();
        assertThat(election.grant(2, System.nanoTime())).as("a claim in flight wins nothing").isFalse();
        election.follow("b");
        assertThat(election.state()).isEqualTo(ElectionState.WITHDRAWN);
        assertThat(election.leaderId()).contains("b");
        election.start();
        assertThat(election.state()).isEqualTo(ElectionState.FOLLOWER);
        assertThat(election.grant(2, System.nanoTime())).isTrue();
        assertThat(election.hooks).containsExactly("start", "withdraw 1", "rejoin");
        assertThat(election.awaitEventsDelivered(Duration.ofSeconds(5))).isTrue();
        assertThat(events.entries()).filteredOn(e -> e.kind() != EventLog.Kind.LEADER_CHANGED)
                .extracting(e -> e.kind() + " " + e.fencingToken() + " " + e.detail())
                .containsExactly("GRANTED 1 ", "REVOKED 1 WITHDRAWN", "GRANTED 2 ");
    }

    @Test
    void theBackendHearsRacingWithdrawalsAndStartsInTheOrderTheyWon() throws Exception {
        for (int i = 0; i < 500; i++) {
            DrivenElection election = started("a");
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<Void> withdrawing = CompletableFuture.runAsync(() -> {
                awaitQuietly(go);
                election.withdraw();
            });
            CompletableFuture<Void> starting = CompletableFuture.runAsync(() -> {
                awaitQuietly(go);
                election.start();
            });
            go.countDown();
            CompletableFuture.allOf(withdrawing, starting).get(5, TimeUnit.SECONDS);
            String last = election.hooks.get(election.hooks.size() - 1);
            assertThat(last).as("round %d: %s, hooks %s", i, election.state(), election.hooks)
                    .isEqualTo(election.state() == ElectionState.WITHDRAWN ? "withdraw none" : election.hooks.size() == 1 ? "start" : "rejoin");
            election.close();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private DrivenElection started(String id) {
        DrivenElection election = new DrivenElection(id);
        elections.add(election);
        election.start();
        return election;
    }

    /** An election whose transitions the test makes, as a backend's threads would. */
    private static final class DrivenElection extends AbstractElection {

        /** The hooks the backend heard, in order. */
        final List<String> hooks = new CopyOnWriteArrayList<>();

        DrivenElection(String id) {
            super("transitions", id, LeaseDeadline.of(LEASE, MARGIN));
        }

        @Override
        protected void onStart() {
            hooks.add("start");
        }

        @Override
        protected void onYield(Leadership term) {
        }

        @Override
        protected void onClose(@Nullable Leadership held) {
        }

        @Override
        protected void onWithdraw(@Nullable Leadership held) {
            hooks.add("withdraw " + (held == null ? "none" : held.fencingToken()));
        }

        @Override
        protected void onRejoin() {
            hooks.add("rejoin");
        }
    }
}
