package dev.leader.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import dev.leader.election.Election;
import dev.leader.election.Leadership;
import dev.leader.spring.ElectionRegistry;
import dev.leader.spring.LeaderContext;
import dev.leader.spring.LeaderOnly;
import dev.leader.spring.NotLeaderException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.test.context.support.TestPropertySourceUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Leader-only work that outlives its method call: a {@code CompletableFuture}, a {@code Mono} or
 * a {@code Flux} is guarded until it completes, and a yield waits for it before leadership
 * moves. Two application contexts on one lock directory are two candidates of real elections
 * (the local backend).
 */
class LeadershipBoundWorkTests {

    @TempDir
    Path locks;

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private ConfigurableApplicationContext start(Class<?>... components) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        TestPropertySourceUtils.addInlinedPropertiesToEnvironment(context, "leader.local.directory=" + locks,
                "leader.shutdown-timeout=30s");
        context.register(LeaderAutoConfiguration.class);
        if (components.length > 0) {
            context.register(components);
        }
        context.refresh();
        return context;
    }

    private static Election election(ConfigurableApplicationContext context) {
        return context.getBean(ElectionRegistry.class).defaultElection();
    }

    @Test
    void aCompletableFutureIsGuardedUntilItCompletesAndAYieldWaitsForIt() throws Exception {
        try (ConfigurableApplicationContext leader = start(AsyncJobs.class);
                ConfigurableApplicationContext follower = start(AsyncJobs.class)) {
            Election leading = election(leader);
            Election following = election(follower);
            await().atMost(Duration.ofSeconds(10)).until(leading::isLeader);
            AsyncJobs jobs = leader.getBean(AsyncJobs.class);
            long term = leading.leadership().orElseThrow().fencingToken();
            CompletableFuture<Long> pending = jobs.future();
            assertThat(pending).isNotDone();

            CompletableFuture<Void> yielding = CompletableFuture.runAsync(leading::yieldLeadership, threads);
            // Draining: a new call is refused (a completed, empty future) while the pending one holds the term.
            await().atMost(Duration.ofSeconds(5)).until(() -> jobs.future().isDone());
            assertThat(jobs.future().join()).isNull();
            assertThat(yielding).as("the yield waits for the pending result").isNotDone();
            assertThat(leading.isLeader()).isTrue();
            assertThat(following.isLeader()).isFalse();

            jobs.complete();
            assertThat(pending.get(5, TimeUnit.SECONDS)).as("started under the first term").isEqualTo(term);
            yielding.get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(following::isLeader);
            assertThat(following.leadership().orElseThrow().fencingToken()).isGreaterThan(term);
        }
    }

    @Test
    void onAFollowerAFutureCompletesEmptyOrWithNotLeader() throws Exception {
        try (ConfigurableApplicationContext leader = start(AsyncJobs.class);
                ConfigurableApplicationContext follower = start(AsyncJobs.class)) {
            await().atMost(Duration.ofSeconds(10)).until(election(leader)::isLeader);
            AsyncJobs jobs = follower.getBean(AsyncJobs.class);
            assertThat(jobs.future()).isCompletedWithValue(null);
            assertThat(jobs.strictFuture()).isCompletedExceptionally();
            assertThat(jobs.strictFuture().handle((value, error) -> error)).succeedsWithin(Duration.ofSeconds(1))
                    .isInstanceOf(NotLeaderException.class);
            assertThat(jobs.started()).isZero();
        }
    }

    @Test
    void aMonoIsCheckedWhenSubscribedAndCarriesTheTermInItsContext() throws Exception {
        try (ConfigurableApplicationContext first = start(ReactiveJobs.class);
                ConfigurableApplicationContext second = start(ReactiveJobs.class)) {
            await().atMost(Duration.ofSeconds(10)).until(election(first)::isLeader);
            ReactiveJobs followerJobs = second.getBean(ReactiveJobs.class);
            Mono<Long> assembledOnFollower = followerJobs.token();
            assertThat(followerJobs.calls()).as("not run at assembly").isZero();
            assertThat(assembledOnFollower.block(Duration.ofSeconds(5))).as("skipped on a follower").isNull();
            assertThat(followerJobs.tokens().collectList().block(Duration.ofSeconds(5))).isEmpty();

            first.close();
            await().atMost(Duration.ofSeconds(10)).until(election(second)::isLeader);
            long term = election(second).leadership().orElseThrow().fencingToken();
            assertThat(assembledOnFollower.block(Duration.ofSeconds(5))).as("the same Mono, subscribed on the leader")
                    .isEqualTo(term);
            assertThat(followerJobs.tokens().collectList().block(Duration.ofSeconds(5))).containsExactly(term, term);
            assertThat(assembledOnFollower.block(Duration.ofSeconds(5))).isEqualTo(term);
            assertThat(followerJobs.calls()).as("the method runs once per admitted subscription").isEqualTo(2);
        }
    }

    @Test
    void aPublisherHoldsLeadershipUntilItTerminatesOrIsCancelled() throws Exception {
        try (ConfigurableApplicationContext leader = start(ReactiveJobs.class);
                ConfigurableApplicationContext follower = start(ReactiveJobs.class)) {
            Election leading = election(leader);
            await().atMost(Duration.ofSeconds(10)).until(leading::isLeader);
            ReactiveJobs jobs = leader.getBean(ReactiveJobs.class);
            Sinks.One<String> done = Sinks.one();
            CompletableFuture<String> result = jobs.until(done.asMono()).toFuture();
            var subscription = jobs.endless().subscribe();

            CompletableFuture<Void> yielding = CompletableFuture.runAsync(leading::yieldLeadership, threads);
            await().atMost(Duration.ofSeconds(5)).until(() -> jobs.token().block() == null);
            assertThat(yielding).isNotDone();
            done.tryEmitValue("done");
            assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("done");
            assertThat(yielding).as("the cancelled-later Flux still holds the term").isNotDone();
            subscription.dispose();
            yielding.get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(election(follower)::isLeader);
        }
    }

    @Test
    void reactiveScheduledMethodsRunOnTheLeaderOnly() {
        try (ConfigurableApplicationContext leader = start(ScheduledReactiveJob.class, Scheduling.class);
                ConfigurableApplicationContext follower = start(ScheduledReactiveJob.class, Scheduling.class)) {
            await().atMost(Duration.ofSeconds(10)).until(election(leader)::isLeader);
            ScheduledReactiveJob onLeader = leader.getBean(ScheduledReactiveJob.class);
            ScheduledReactiveJob onFollower = follower.getBean(ScheduledReactiveJob.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> onLeader.runs() >= 3);
            assertThat(onFollower.runs()).isZero();
            assertThat(onLeader.lastToken()).isEqualTo(election(leader).leadership().orElseThrow().fencingToken());

            leader.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> onFollower.runs() >= 3);
        }
    }

    @Test
    void aYieldWaitsForARunningSynchronousCall() throws Exception {
        try (ConfigurableApplicationContext leader = start(AsyncJobs.class);
                ConfigurableApplicationContext follower = start(AsyncJobs.class)) {
            Election leading = election(leader);
            await().atMost(Duration.ofSeconds(10)).until(leading::isLeader);
            AsyncJobs jobs = leader.getBean(AsyncJobs.class);
            CompletableFuture<Optional<Leadership>> running = CompletableFuture.supplyAsync(jobs::blocking, threads);
            assertThat(jobs.awaitBlockingEntered()).isTrue();
            CompletableFuture<Void> yielding = CompletableFuture.runAsync(leading::yieldLeadership, threads);
            await().atMost(Duration.ofSeconds(5)).until(() -> jobs.future().isDone());
            assertThat(jobs.future().join()).as("no new call admitted while draining").isNull();
            assertThat(yielding).isNotDone();
            assertThat(election(follower).isLeader()).isFalse();
            jobs.complete();
            assertThat(running.get(5, TimeUnit.SECONDS)).isPresent();
            yielding.get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(election(follower)::isLeader);
        }
    }

    @Test
    void awaitLeadershipReturnsOnceThisApplicationLeads() throws Exception {
        try (ConfigurableApplicationContext leader = start(); ConfigurableApplicationContext follower = start()) {
            await().atMost(Duration.ofSeconds(10)).until(election(leader)::isLeader);
            Election waiting = election(follower);
            assertThat(waiting.awaitLeadership(Duration.ofMillis(200))).isFalse();
            CompletableFuture<Boolean> awaited = CompletableFuture.supplyAsync(
                    () -> waiting.awaitLeadership(Duration.ofSeconds(30)), threads);
            leader.close();
            assertThat(awaited.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(waiting.isLeader()).isTrue();
        }
    }

    static class AsyncJobs {

        final CompletableFuture<Long> pending = new CompletableFuture<>();

        final AtomicInteger started = new AtomicInteger();

        final CountDownLatch blockingEntered = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        // Accessors: the bean is a class proxy, whose own fields are never set.
        public int started() {
            return started.get();
        }

        /** Ends the blocking call, and completes the pending future with the token it started under. */
        public void complete() {
            release.countDown();
            pending.complete(token.get());
        }

        public boolean awaitBlockingEntered() throws InterruptedException {
            return blockingEntered.await(5, TimeUnit.SECONDS);
        }

        final AtomicLong token = new AtomicLong();

        /** Completes when the test says so, with the token of the term it started under. */
        @LeaderOnly
        public CompletableFuture<Long> future() {
            started.incrementAndGet();
            token.set(LeaderContext.current().orElseThrow().fencingToken());
            return pending;
        }

        @LeaderOnly(onNotLeader = LeaderOnly.OnNotLeader.THROW)
        public CompletableFuture<Long> strictFuture() {
            started.incrementAndGet();
            return CompletableFuture.completedFuture(1L);
        }

        @LeaderOnly
        public Optional<Leadership> blocking() {
            blockingEntered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return LeaderContext.current();
        }
    }

    static class ReactiveJobs {

        final AtomicInteger calls = new AtomicInteger();

        public int calls() {
            return calls.get();
        }

        /** The token of the term from the Reactor context. */
        @LeaderOnly
        public Mono<Long> token() {
            calls.incrementAndGet();
            return Mono.deferContextual(context -> Mono.just(context.get(Leadership.class).fencingToken()));
        }

        /** The token twice: from the thread's context at the call, and from the Reactor context. */
        @LeaderOnly
        public Flux<Long> tokens() {
            long atCall = LeaderContext.current().orElseThrow().fencingToken();
            return Flux.concat(Mono.just(atCall),
                    Mono.deferContextual(context -> Mono.just(context.get(Leadership.class).fencingToken())));
        }

        @LeaderOnly
        public Mono<String> until(Mono<String> done) {
            return done;
        }

        @LeaderOnly
        public Flux<Long> endless() {
            return Flux.never();
        }
    }

    @EnableScheduling
    static class Scheduling {
    }

    static class ScheduledReactiveJob {

        final AtomicInteger runs = new AtomicInteger();

        final AtomicLong lastToken = new AtomicLong();

        public int runs() {
            return runs.get();
        }

        public long lastToken() {
            return lastToken.get();
        }

        @LeaderOnly
        @Scheduled(fixedDelay = 50)
        public Mono<Void> tick() {
            return Mono.deferContextual(context -> {
                runs.incrementAndGet();
                lastToken.set(context.get(Leadership.class).fencingToken());
                return Mono.empty();
            });
        }
    }
}
