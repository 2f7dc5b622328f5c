package dev.leader.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Lanes on shared threads: order, no overlap, no lane holding up another, shutdown. */
class SerialLaneTests {

    private static final Duration BOUND = Duration.ofSeconds(10);

    private final SerialLanes lanes = new SerialLanes("test-lane", 2);

    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        release.countDown();
        lanes.close();
    }

    @Test
    void tasksOfOneLaneRunInOrderOneAtATime() {
        SerialLane lane = lanes.lane();
        List<Integer> ran = new CopyOnWriteArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicBoolean overlapped = new AtomicBoolean();
        for (int i = 0; i < 1000; i++) {
            int n = i;
            lane.execute(() -> {
                if (running.incrementAndGet() > 1) {
                    overlapped.set(true);
                }
                ran.add(n);
                running.decrementAndGet();
            });
        }
        await().atMost(BOUND).until(() -> ran.size() == 1000);
        assertThat(overlapped).isFalse();
        assertThat(ran).isSorted();
    }

    @Test
    void manyLanesShareTheWorkersAndABlockedLaneHoldsUpNoOther() {
        SerialLane blocked = lanes.lane();
        blocked.execute(this::awaitRelease);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        AtomicInteger done = new AtomicInteger();
        for (int i = 0; i < 500; i++) {
            lanes.lane().execute(() -> {
                threads.add(Thread.currentThread().getName());
                done.incrementAndGet();
            });
        }
        await().atMost(BOUND).until(() -> done.get() == 500);
        assertThat(threads).as("threads that ran 500 lanes").hasSizeLessThanOrEqualTo(2).allMatch(n -> n.startsWith("test-lane-"));
    }

    @Test
    void aTaskOnTheTimerRunsWhileEveryWorkerIsBlockedAndAfterItThrew() {
        lanes.lane().execute(this::awaitRelease);
        lanes.lane().execute(this::awaitRelease);
        AtomicInteger runs = new AtomicInteger();
        lanes.everyOnTimer(Duration.ofMillis(10), () -> {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("expected by the test");
            }
        });
        await().atMost(BOUND).until(() -> runs.get() >= 3);
    }

    @Test
    void aTaskThatThrowsDoesNotStopTheLane() {
        SerialLane lane = lanes.lane();
        CountDownLatch after = new CountDownLatch(1);
        lane.execute(() -> {
            throw new IllegalStateException("expected by the test");
        });
        lane.execute(after::countDown);
        await().atMost(BOUND).until(() -> after.getCount() == 0);
    }

    @Test
    void shutdownLetsQueuedTasksRunThenRefusesNewOnes() {
        SerialLane lane = lanes.lane();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean queuedRan = new AtomicBoolean();
        lane.execute(() -> {
            started.countDown();
            awaitRelease();
        });
        lane.execute(() -> queuedRan.set(true));
        await().atMost(BOUND).until(() -> started.getCount() == 0);
        lane.shutdown();
        assertThat(lane.execute(() -> {
        })).as("accepted after shutdown").isFalse();
        assertThat(lane.schedule(Duration.ZERO, () -> {
        })).isNull();
        assertThat(lane.every(Duration.ofMillis(10), () -> {
        })).isNull();
        release.countDown();
        await().atMost(BOUND).untilTrue(queuedRan);
    }

    @Test
    void aDelayedTaskQueuesBehindWhatIsQueuedWhenItIsDue() {
        SerialLane lane = lanes.lane();
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch started = new CountDownLatch(1);
        lane.execute(() -> {
            started.countDown();
            awaitRelease();
            ran.add("first");
        });
        await().atMost(BOUND).until(() -> started.getCount() == 0);
        Future<?> delayed = lane.schedule(Duration.ofMillis(1), () -> ran.add("delayed"));
        await().atMost(BOUND).until(() -> delayed != null && delayed.isDone());
        release.countDown();
        await().atMost(BOUND).until(() -> ran.size() == 2);
        assertThat(ran).containsExactly("first", "delayed");
    }

    @Test
    void aPeriodicTaskRepeatsAndDoesNotPileUpOnABusyLane() {
        SerialLane lane = lanes.lane();
        CountDownLatch started = new CountDownLatch(1);
        lane.execute(() -> {
            started.countDown();
            awaitRelease();
        });
        await().atMost(BOUND).until(() -> started.getCount() == 0);
        AtomicInteger runs = new AtomicInteger();
        assertThat(lane.every(Duration.ofMillis(1), runs::incrementAndGet)).isNotNull();
        awaitTicks(20);
        assertThat(lane.pendingCount()).as("runs waiting after 20 periods on a busy lane").isEqualTo(1);
        release.countDown();
        await().atMost(BOUND).until(() -> runs.get() >= 3);
    }

    @Test
    void aPeriodicTaskStopsWhenCancelledOrTheLaneShutsDown() {
        SerialLane lane = lanes.lane();
        AtomicInteger runs = new AtomicInteger();
        Future<?> periodic = lane.every(Duration.ofMillis(1), runs::incrementAndGet);
        assertThat(periodic).isNotNull();
        await().atMost(BOUND).until(() -> runs.get() >= 3);
        periodic.cancel(false);
        int atCancel = runs.get();
        awaitTicks(20);
        assertThat(runs.get()).as("runs after the cancel").isLessThanOrEqualTo(atCancel + 1);

        AtomicInteger second = new AtomicInteger();
        assertThat(lane.every(Duration.ofMillis(1), second::incrementAndGet)).isNotNull();
        await().atMost(BOUND).until(() -> second.get() >= 3);
        lane.shutdown();
        int atShutdown = second.get();
        awaitTicks(20);
        assertThat(second.get()).as("runs after shutdown").isLessThanOrEqualTo(atShutdown + 1);
    }

    @Test
    void closingThePoolLetsQueuedTasksRunThenLanesRefuseWork() {
        SerialLane lane = lanes.lane();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean queuedRan = new AtomicBoolean();
        lane.execute(() -> {
            started.countDown();
            awaitRelease();
        });
        lane.execute(() -> queuedRan.set(true));
        await().atMost(BOUND).until(() -> started.getCount() == 0);
        lanes.close();
        assertThat(lane.schedule(Duration.ZERO, () -> {
        })).as("delayed work after close").isNull();
        release.countDown();
        await().atMost(BOUND).untilTrue(queuedRan);
        assertThat(lanes.lane().execute(() -> {
        })).as("work for a new lane after close").isFalse();
    }

    /** Waits until a witness on another lane, ticking as often, ran {@code count} times. */
    private void awaitTicks(int count) {
        AtomicInteger ticks = new AtomicInteger();
        Future<?> witness = lanes.lane().every(Duration.ofMillis(1), ticks::incrementAndGet);
        assertThat(witness).isNotNull();
        await().atMost(BOUND).until(() -> ticks.get() >= count);
        witness.cancel(false);
    }

    private void awaitRelease() {
        try {
            release.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
