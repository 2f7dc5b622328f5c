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
        EventDispatcher events = new EventDispatcher("jobs", "a");
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
        EventDispatcher events = new EventDispatcher("jobs", "a");
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
        EventDispatcher events = new EventDispatcher("jobs", "a");
        events.granted(term);
        events.shutdown();
        assertThat(events.awaitDelivered(5, TimeUnit.SECONDS)).isTrue();
    }
}
