package dev.leader.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import dev.leader.election.Election;
import dev.leader.spring.ElectionRegistry;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.flow.FlowKt;
import kotlinx.coroutines.reactive.ReactiveFlowKt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.test.context.support.TestPropertySourceUtils;
import reactor.core.publisher.Flux;

/**
 * Kotlin suspend functions and Flows under {@code @LeaderOnly}: guarded for the whole coroutine,
 * with the term in the coroutine's Reactor context; skipped on a follower.
 */
class SuspendingFunctionTests {

    @TempDir
    Path locks;

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private ConfigurableApplicationContext start() {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        TestPropertySourceUtils.addInlinedPropertiesToEnvironment(context, "leader.local.directory=" + locks,
                "leader.shutdown-timeout=30s");
        context.register(LeaderAutoConfiguration.class, SuspendingJobs.class);
        context.refresh();
        return context;
    }

    private static Election election(ConfigurableApplicationContext context) {
        return context.getBean(ElectionRegistry.class).defaultElection();
    }

    @Test
    void aSuspendFunctionHoldsTheTermUntilItResumesAndReturns() throws Exception {
        try (ConfigurableApplicationContext leader = start(); ConfigurableApplicationContext follower = start()) {
            Election leading = election(leader);
            await().atMost(Duration.ofSeconds(10)).until(leading::isLeader);
            long term = leading.leadership().orElseThrow().fencingToken();
            SuspendingJobs jobs = leader.getBean(SuspendingJobs.class);
            CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> runBlocking(jobs::token), threads);
            await().atMost(Duration.ofSeconds(10)).until(() -> running.isDone() || jobs.hasEntered());
            assertThat(running).as("still suspended in the job").isNotDone();
            assertThat(jobs.hasEntered()).isTrue();

            CompletableFuture<Void> yielding = CompletableFuture.runAsync(leading::yieldLeadership, threads);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !yielding.isDone());
            assertThat(election(follower).isLeader()).isFalse();
            jobs.finish();
            assertThat(running.get(10, TimeUnit.SECONDS)).as("ran under the first term").isEqualTo(term);
            yielding.get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(election(follower)::isLeader);

            SuspendingJobs onFollowerNow = leader.getBean(SuspendingJobs.class);
            onFollowerNow.finish();
            assertThat(runBlocking(onFollowerNow::token)).as("skipped on a follower").isNull();
        }
    }

    @Test
    void aFlowIsGuardedAndCarriesTheTerm() {
        try (ConfigurableApplicationContext leader = start(); ConfigurableApplicationContext follower = start()) {
            await().atMost(Duration.ofSeconds(10)).until(election(leader)::isLeader);
            long term = election(leader).leadership().orElseThrow().fencingToken();
            Flux<Long> onLeader = Flux.from(ReactiveFlowKt.asPublisher(leader.getBean(SuspendingJobs.class).tokens()));
            assertThat(onLeader.collectList().block(Duration.ofSeconds(10))).containsExactly(term);
            Flux<Long> onFollower = Flux.from(ReactiveFlowKt.asPublisher(follower.getBean(SuspendingJobs.class).tokens()));
            assertThat(onFollower.collectList().block(Duration.ofSeconds(10))).isEmpty();
        }
    }

    /** Runs a suspend function of the bean from Java, as a coroutine would call it. */
    private static Object runBlocking(kotlin.jvm.functions.Function1<kotlin.coroutines.Continuation<? super Object>, Object> call) {
        try {
            return BuildersKt.runBlocking(Dispatchers.getIO(), (scope, continuation) -> call.invoke(continuation));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    @SuppressWarnings("unused")
    private static final Class<?> FLOW_KT = FlowKt.class;
}
