package dev.leader.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
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
import dev.leader.election.Election;
import dev.leader.election.Leadership;
import dev.leader.spring.ElectionRegistry;
import dev.leader.spring.LeaderContext;
import dev.leader.spring.LeaderOnly;
import dev.leader.spring.NotLeaderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.ClassUtils;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The guard, on real elections of the local backend: two application contexts sharing one lock
 * directory are two candidates.
 */
class LeaderOnlyTests {

    @TempDir
    Path locks;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(LeaderAutoConfiguration.class))
                .withPropertyValues("leader.local.directory=" + locks)
                .withBean(Jobs.class).withBean(GuardedType.class);
    }

    @Test
    void guardedMethodRunsOnLeaderWithItsTermInContext() {
        runner().run(context -> {
            Election election = context.getBean(ElectionRegistry.class).defaultElection();
            await().atMost(Duration.ofSeconds(5)).until(election::isLeader);
            Jobs jobs = context.getBean(Jobs.class);
            Optional<Leadership> seen = jobs.report();
            assertThat(seen).isPresent();
            assertThat(seen.get().fencingToken()).isEqualTo(election.leadership().orElseThrow().fencingToken());
            assertThat(jobs.runs()).isEqualTo(1);
            assertThat(LeaderContext.current()).as("context cleared after the call").isEmpty();
        });
    }

    @Test
    void guardedMethodIsSkippedOnFollower() {
        runner().run(leader -> {
            await().atMost(Duration.ofSeconds(5)).until(() -> leader.getBean(ElectionRegistry.class).defaultElection().isLeader());
            runner().run(follower -> {
                Jobs jobs = follower.getBean(Jobs.class);
                await().atMost(Duration.ofSeconds(5)).until(() -> follower.getBean(ElectionRegistry.class).defaultElection()
                        .leaderId().isPresent());
                assertThat(jobs.report()).isEmpty();
                jobs.tick();
                assertThat(jobs.name()).isNull();
                assertThat(jobs.runs()).isZero();
                assertThatExceptionOfType(NotLeaderException.class).isThrownBy(jobs::strict)
                        .withMessageContaining("election=default");
            });
        });
    }

    @Test
    void typeLevelAnnotationGuardsPublicMethodsOfANamedElection() {
        runner().run(context -> {
            ElectionRegistry registry = context.getBean(ElectionRegistry.class);
            assertThat(registry.elections()).containsKey("imports");
            Election imports = registry.find("imports").orElseThrow();
            await().atMost(Duration.ofSeconds(5)).until(imports::isLeader);
            assertThat(context.getBean(GuardedType.class).run()).isEqualTo("ran under imports");
            imports.yieldLeadership();
            assertThat(context.getBean(GuardedType.class).run()).isNull();
        });
    }

    @Test
    void theGuardNeedsNoAspectJ() {
        // The starter does not bring AspectJ, and this module's tests run without it.
        assertThat(ClassUtils.isPresent("org.aspectj.lang.annotation.Aspect", null)).isFalse();
        runner().run(context -> {
            Election election = context.getBean(ElectionRegistry.class).defaultElection();
            await().atMost(Duration.ofSeconds(5)).until(election::isLeader);
            assertThat(context.getBean(Jobs.class).report()).isPresent();
            election.yieldLeadership();
            assertThat(context.getBean(Jobs.class).report()).isEmpty();
        });
    }

    @Test
    void primitiveResultWithSkipFailsAtStartup() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(LeaderAutoConfiguration.class))
                .withPropertyValues("leader.local.directory=" + locks).withBean(BadJob.class)
                .run(context -> assertThat(LeaderAutoConfigurationTests.failure(context))
                        .contains("count()").contains("returns int").contains("THROW"));
    }

    @Test
    void shutdownStopsAdmittingWaitsForRunningCallsThenReleases() throws Exception {
        // A runner closes its context after run(); these are built by hand to control the close.
        // Own threads: on two cores the common pool has one worker, which the slow call occupies.
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (ConfigurableApplicationContext leader = start(); ConfigurableApplicationContext follower = start()) {
            Election leading = leader.getBean(ElectionRegistry.class).defaultElection();
            Election following = follower.getBean(ElectionRegistry.class).defaultElection();
            await().atMost(Duration.ofSeconds(5)).until(leading::isLeader);
            Jobs jobs = leader.getBean(Jobs.class);
            CompletableFuture<Optional<Leadership>> running = CompletableFuture.supplyAsync(jobs::slow, threads);
            assertThat(jobs.awaitEntered()).isTrue();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(leader::close, threads);
            // New calls are refused while the running one still holds leadership...
            await().atMost(Duration.ofSeconds(5)).until(() -> jobs.report().isEmpty());
            assertThat(leading.isLeader()).isTrue();
            assertThat(following.isLeader()).isFalse();
            // ...and leadership moves only once it has finished.
            jobs.finish();
            assertThat(running.get(5, TimeUnit.SECONDS)).isPresent();
            closing.get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(following::isLeader);
            assertThat(following.leadership().orElseThrow().fencingToken())
                    .isGreaterThan(running.get().orElseThrow().fencingToken());
        }
        finally {
            threads.shutdownNow();
        }
    }

    private ConfigurableApplicationContext start() {
        org.springframework.context.annotation.AnnotationConfigApplicationContext context = new org.springframework.context.annotation.AnnotationConfigApplicationContext();
        org.springframework.test.context.support.TestPropertySourceUtils.addInlinedPropertiesToEnvironment(context,
                "leader.local.directory=" + locks, "leader.shutdown-timeout=30s");
        context.register(LeaderAutoConfiguration.class, Jobs.class);
        context.refresh();
        return context;
    }

    static class Jobs {

        final AtomicInteger runs = new AtomicInteger();

        final CountDownLatch entered = new CountDownLatch(1);

        final CountDownLatch finish = new CountDownLatch(1);

        // Accessors: the bean is a class proxy, whose own fields are never set.
        public int runs() {
            return runs.get();
        }

        public boolean awaitEntered() throws InterruptedException {
            return entered.await(5, TimeUnit.SECONDS);
        }

        public void finish() {
            finish.countDown();
        }

        @LeaderOnly
        public Optional<Leadership> report() {
            runs.incrementAndGet();
            return LeaderContext.current();
        }

        @LeaderOnly
        public void tick() {
            runs.incrementAndGet();
        }

        @LeaderOnly
        public String name() {
            runs.incrementAndGet();
            return "ran";
        }

        @LeaderOnly(onNotLeader = LeaderOnly.OnNotLeader.THROW)
        public void strict() {
            runs.incrementAndGet();
        }

        @LeaderOnly
        public Optional<Leadership> slow() {
            entered.countDown();
            try {
                finish.await();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return LeaderContext.current();
        }
    }

    @LeaderOnly("imports")
    static class GuardedType {

        public String run() {
            return "ran under " + LeaderContext.current().map(Leadership::election).orElse("nothing");
        }
    }

    static class BadJob {

        @LeaderOnly
        public int count() {
            return 1;
        }
    }
}
