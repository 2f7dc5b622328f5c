package dev.leader.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import dev.leader.autoconfigure.LeaderOnlyLifecycleTests.Consumer;
import dev.leader.election.Election;
import dev.leader.election.ElectionState;
import dev.leader.spring.ElectionRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code leader.campaign=while-ready}: an application that refuses traffic steps down, its
 * leader-only lifecycle stopped before leadership moves, and takes no term until it accepts
 * traffic again; by default refusing traffic changes nothing. Two applications on the local
 * backend, sharing a lock directory.
 */
class CampaignWhileReadyTests {

    @TempDir
    Path locks;

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void clear() {
        LeaderOnlyLifecycleTests.timeline.clear();
        threads.shutdownNow();
    }

    private ConfigurableApplicationContext run(String name, String... properties) {
        List<String> all = new ArrayList<>(List.of("leader.local.directory=" + locks, "spring.docker.compose.enabled=false",
                "leader.shutdown-timeout=30s", "leader.candidate-id=" + name, "consumer.name=" + name));
        all.addAll(List.of(properties));
        return new SpringApplicationBuilder(LeaderOnlyLifecycleTests.ReadyApp.class, Consumer.class)
                .web(WebApplicationType.NONE).registerShutdownHook(false).properties(all.toArray(String[]::new)).run();
    }

    private static Election election(ConfigurableApplicationContext context) {
        return context.getBean(ElectionRegistry.class).defaultElection();
    }

    @Test
    void whileReadyStepsDownWhileRefusingTrafficAndCampaignsAgainWhenAccepting() throws Exception {
        try (ConfigurableApplicationContext first = run("first", "leader.campaign=while-ready")) {
            Election firstElection = election(first);
            await().atMost(Duration.ofSeconds(10)).until(firstElection::isLeader);
            Consumer firstConsumer = first.getBean(Consumer.class);
            await().atMost(Duration.ofSeconds(5)).until(firstConsumer::isRunning);
            try (ConfigurableApplicationContext second = run("second")) {
                Election secondElection = election(second);
                await().atMost(Duration.ofSeconds(10)).until(() -> secondElection.leaderId().equals(Optional.of("first")));

                // A stop that takes a while: leadership must not move before it completes.
                firstConsumer.holdStop();
                CompletableFuture<Void> refusing = CompletableFuture.runAsync(
                        () -> AvailabilityChangeEvent.publish(first, ReadinessState.REFUSING_TRAFFIC), threads);
                await().atMost(Duration.ofSeconds(5)).until(firstConsumer::stopRequested);
                await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !secondElection.isLeader());
                assertThat(refusing).isNotDone();
                firstConsumer.releaseStop();
                refusing.get(10, TimeUnit.SECONDS);
                assertThat(firstElection.state()).isEqualTo(ElectionState.WITHDRAWN);
                assertThat(firstConsumer.isRunning()).isFalse();
                await().atMost(Duration.ofSeconds(10)).until(secondElection::isLeader);
                await().atMost(Duration.ofSeconds(5)).until(second.getBean(Consumer.class)::isRunning);
                assertThat(LeaderOnlyLifecycleTests.timeline).containsSubsequence("start first", "stopped first", "start second");
            }
            // The other application is gone and this one still refuses traffic: nobody leads.
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> !firstElection.isLeader() && firstElection.state() == ElectionState.WITHDRAWN);
            AvailabilityChangeEvent.publish(first, ReadinessState.ACCEPTING_TRAFFIC);
            await().atMost(Duration.ofSeconds(10)).until(firstElection::isLeader);
            await().atMost(Duration.ofSeconds(5)).until(firstConsumer::isRunning);
            assertThat(LeaderOnlyLifecycleTests.timeline).containsSubsequence("start first", "stopped first",
                    "start second", "stopped second", "start first");
        }
    }

    @Test
    void byDefaultRefusingTrafficChangesNothing() {
        try (ConfigurableApplicationContext app = run("only")) {
            Election election = election(app);
            await().atMost(Duration.ofSeconds(10)).until(election::isLeader);
            AvailabilityChangeEvent.publish(app, ReadinessState.REFUSING_TRAFFIC);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
                    .until(() -> election.isLeader() && election.state() == ElectionState.LEADER);
            assertThat(app.getBean(Consumer.class).isRunning()).isTrue();
        }
    }
}
