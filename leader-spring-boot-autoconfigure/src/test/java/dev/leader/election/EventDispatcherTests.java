package dev.leader.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Waiting for queued events without shutting the event thread down. */
class EventDispatcherTests {

    private final Leadership term = new Leadership("jobs", "a", 1, Instant.now());

    @Test
    void awaitDeliveredWaitsForEventsQueuedBeforeIt() throws Exception {
        EventDispatcher events = new EventDispatcher("[election=jobs, id=a]", term -> false);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch delivered = new CountDownLatch(1);
        events.add(new ElectionListener() {
            @Override
            public void granted(Leadership leadership) {
                try {
                    release.await();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                delivered.countDown();
            }
        });
        events.granted(term);
        assertThat(events.awaitDelivered(50, TimeUnit.MILLISECONDS)).as("listener still blocked").isFalse();
        release.countDown();
        assertThat(events.awaitDelivered(5, TimeUnit.SECONDS)).isTrue();
        assertThat(delivered.getCount()).isZero();
        events.shutdown();
    }

    @Test
    void awaitDeliveredFromAListenerReturnsAtOnce() throws Exception {
        EventDispatcher events = new EventDispatcher("[election=jobs, id=a]", term -> false);
        CompletableFuture<Boolean> fromListener = new CompletableFuture<>();
        events.add(new ElectionListener() {
            @Override
            public void granted(Leadership leadership) {
                try {
                    fromListener.complete(events.awaitDelivered(5, TimeUnit.SECONDS));
                }
                catch (InterruptedException ex) {
                    fromListener.completeExceptionally(ex);
                }
            }
        });
        long start = System.nanoTime();
        events.granted(term);
        assertThat(fromListener.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(4));
        events.shutdown();
    }

    @Test
    void awaitDeliveredAfterShutdownWaitsForTheQueueToDrain() throws Exception {
        EventDispatcher events = new EventDispatcher("[election=jobs, id=a]", term -> false);
        events.granted(term);
        events.shutdown();
        assertThat(events.awaitDelivered(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aBlockedListenerCannotGrowTheQueueWithoutBoundAndHearsWholeTermsInOrder() throws Exception {
        EventDispatcher events = new EventDispatcher("[election=jobs, id=a]", term -> false);
        CountDownLatch release = new CountDownLatch(1);
        EventLog heard = new EventLog();
        events.add(new ElectionListener() {
            @Override
            public void leaderChanged(java.util.Optional<String> leaderId) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        events.add(heard.listenerFor("a"));
        events.leaderChanged(java.util.Optional.empty());
        for (long token = 1; token <= 10_000; token++) {
            Leadership leadership = new Leadership("jobs", "a", token, Instant.now());
            events.granted(leadership);
            events.leaderChanged(java.util.Optional.of("a"));
            events.revoked(leadership, RevokeReason.YIELDED);
            events.leaderChanged(java.util.Optional.empty());
            assertThat(events.pendingCount()).isLessThanOrEqualTo(EventDispatcher.COALESCE_AT + 3);
        }
        release.countDown();
        assertThat(events.awaitDelivered(10, TimeUnit.SECONDS)).isTrue();
        java.util.List<EventLog.Entry> transitions = heard.entries().stream()
                .filter(e -> e.kind() != EventLog.Kind.LEADER_CHANGED).toList();
        for (int i = 0; i < transitions.size(); i += 2) {
            assertThat(transitions.get(i).kind()).isEqualTo(EventLog.Kind.GRANTED);
            assertThat(transitions.get(i + 1).kind()).isEqualTo(EventLog.Kind.REVOKED);
            assertThat(transitions.get(i + 1).fencingToken()).isEqualTo(transitions.get(i).fencingToken());
        }
        assertThat(heard.entries()).last().extracting(EventLog.Entry::detail).isEqualTo("");
        events.shutdown();
    }
}
