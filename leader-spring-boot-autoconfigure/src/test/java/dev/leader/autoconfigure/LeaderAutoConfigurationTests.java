package dev.leader.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import dev.leader.election.Election;
import dev.leader.election.ElectionBackend;
import dev.leader.local.LocalElectionBackend;
import dev.leader.spring.ElectionRegistry;
import dev.leader.spring.LeaderEvent;
import dev.leader.spring.OnGrantedEvent;
import dev.leader.spring.OnLeaderChangedEvent;
import dev.leader.spring.OnRevokedEvent;
import io.lettuce.core.RedisClient;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

class LeaderAutoConfigurationTests {

    @TempDir
    Path locks;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(LeaderAutoConfiguration.class))
                .withPropertyValues("leader.local.directory=" + locks);
    }

    @Test
    void runWhenNothingConfiguredShouldUseLocalBackendAndDefaultElection() {
        runner().run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(ElectionBackend.class)).isInstanceOf(LocalElectionBackend.class);
            ElectionRegistry registry = context.getBean(ElectionRegistry.class);
            assertThat(registry.defaultElectionName()).isEqualTo("default");
            assertThat(registry.candidateId()).matches(".+:\\d+:[0-9a-z]+");
        });
    }

    @Test
    void runWhenOneBackendChosenShouldNotReadTheOthersConfigurations() {
        runner().withPropertyValues("leader.backend=local").run(context -> {
            Set<String> evaluated = ConditionEvaluationReport.get(context.getBeanFactory())
                    .getConditionAndOutcomesBySource().keySet();
            assertThat(evaluated).contains(BackendType.LOCAL.configuration());
            for (BackendType other : BackendType.values()) {
                if (other != BackendType.LOCAL) {
                    assertThat(evaluated).as(other.id()).noneMatch(source -> source.startsWith(other.configuration()));
                }
            }
        });
    }

    @Test
    void runWhenApplicationNamedShouldUseItAsDefaultElection() {
        runner().withPropertyValues("spring.application.name=Billing Jobs").run(context ->
                assertThat(context.getBean(ElectionRegistry.class).defaultElectionName()).isEqualTo("Billing-Jobs"));
    }

    @Test
    void runWhenElectionAndCandidateSetShouldUseThem() {
        runner().withPropertyValues("leader.election=reports", "leader.candidate-id=node-1").run(context -> {
            ElectionRegistry registry = context.getBean(ElectionRegistry.class);
            assertThat(registry.defaultElectionName()).isEqualTo("reports");
            assertThat(registry.candidateId()).isEqualTo("node-1");
        });
    }

    @Test
    void runWhenStartedShouldLeadAndPublishGrantedEvent() {
        runner().withUserConfiguration(EventCollector.class).run(context -> {
            Election election = context.getBean(ElectionRegistry.class).defaultElection();
            await().atMost(Duration.ofSeconds(5)).until(election::isLeader);
            EventCollector events = context.getBean(EventCollector.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> events.events.stream().anyMatch(OnGrantedEvent.class::isInstance));
            OnGrantedEvent granted = (OnGrantedEvent) events.events.stream().filter(OnGrantedEvent.class::isInstance).findFirst().orElseThrow();
            assertThat(granted.election()).isEqualTo("default");
            assertThat(granted.leadership().fencingToken()).isPositive();
            assertThat(events.events).anyMatch(e -> e instanceof OnLeaderChangedEvent changed
                    && changed.leaderId().equals(java.util.Optional.of(granted.candidateId())));
        });
    }

    @Test
    void runWhenClosedShouldPublishRevokedEventWithReasonClosed() {
        EventCollector events = new EventCollector();
        runner().withBean(EventCollector.class, () -> events).run(context ->
                await().atMost(Duration.ofSeconds(5)).until(() -> context.getBean(ElectionRegistry.class).defaultElection().isLeader()));
        await().atMost(Duration.ofSeconds(5)).until(() -> events.events.stream().anyMatch(e -> e instanceof OnRevokedEvent revoked
                && revoked.reason() == dev.leader.election.RevokeReason.CLOSED));
    }

    @Test
    void runWhenDisabledShouldCreateNothing() {
        runner().withPropertyValues("leader.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(ElectionBackend.class);
            assertThat(context).doesNotHaveBean(ElectionRegistry.class);
            assertThat(context).doesNotHaveBean(LeaderOnlyAdvisor.class);
        });
    }

    @Test
    void runWhenSpreadInstancesNotSetShouldNotSpreadLeadership() {
        runner().run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(LeadershipSpreading.class));
    }

    @Test
    void runWhenSpreadInstancesZeroShouldNotSpreadLeadership() {
        runner().withPropertyValues("leader.spread.instances=0").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(LeadershipSpreading.class));
    }

    @Test
    void runWhenSpreadInstancesSetShouldSpreadLeadership() {
        runner().withPropertyValues("leader.spread.instances=3").run(context ->
                assertThat(context).hasSingleBean(LeadershipSpreading.class));
    }

    @Test
    void runWhenSpreadInstancesNegativeShouldFailNamingProperty() {
        runner().withPropertyValues("leader.spread.instances=-1").run(context ->
                assertThat(failure(context)).contains("leader.spread.instances"));
    }

    @Test
    void runWhenUserDefinesBackendShouldUseIt() {
        LocalElectionBackend own = new LocalElectionBackend(locks.resolve("own"));
        runner().withBean("myBackend", ElectionBackend.class, () -> own).run(context -> {
            assertThat(context).getBean(ElectionBackend.class).isSameAs(own);
            assertThat(context.getBean(ElectionRegistry.class).backend()).isSameAs(own);
        });
    }

    @Test
    void runWhenUserDefinesRegistryShouldUseIt() {
        runner().withUserConfiguration(OwnRegistry.class).run(context ->
                assertThat(context.getBean(ElectionRegistry.class).defaultElectionName()).isEqualTo("mine"));
    }

    @Test
    void runWhenBackendUnknownShouldFailNamingPropertyAndAllowedValues() {
        runner().withPropertyValues("leader.backend=bogus").run(context -> assertThat(failure(context))
                .contains("leader.backend").contains("bogus").contains("local, zookeeper, redis, etcd, lan"));
    }

    @Test
    void runWhenLeaseNegativeShouldFailNamingProperty() {
        runner().withPropertyValues("leader.lease-duration=-1s").run(context ->
                assertThat(failure(context)).contains("leader.lease-duration").contains("positive duration"));
    }

    @Test
    void runWhenLeaseZeroShouldFailNamingProperty() {
        runner().withPropertyValues("leader.lease-duration=0s").run(context ->
                assertThat(failure(context)).contains("leader.lease-duration"));
    }

    @Test
    void runWhenShutdownTimeoutNegativeShouldFail() {
        runner().withPropertyValues("leader.shutdown-timeout=-5s").run(context ->
                assertThat(failure(context)).contains("leader.shutdown-timeout"));
    }

    @Test
    void runWhenElectionNameInvalidShouldFail() {
        runner().withPropertyValues("leader.election=no/slashes").run(context ->
                assertThat(failure(context)).contains("leader.election").contains("letters, digits"));
    }

    @Test
    void runWhenZookeeperConnectStringMalformedShouldFail() {
        runner().withPropertyValues("leader.zookeeper.connect-string=localhost").run(context ->
                assertThat(failure(context)).contains("leader.zookeeper.connect-string").contains("host:port"));
    }

    @Test
    void runWhenRedisUrlMalformedShouldFail() {
        runner().withPropertyValues("leader.redis.url=http://localhost:6379").run(context ->
                assertThat(failure(context)).contains("leader.redis.url").contains("redis://"));
    }

    @Test
    void runWhenEtcdEndpointMalformedShouldFail() {
        runner().withPropertyValues("leader.etcd.endpoints=localhost:2379").run(context ->
                assertThat(failure(context)).contains("leader.etcd.endpoints").contains("http://localhost:2379"));
    }

    @Test
    void runWhenLanPortOutOfRangeShouldFail() {
        runner().withPropertyValues("leader.lan.port=70000").run(context ->
                assertThat(failure(context)).contains("leader.lan.port"));
    }

    @Test
    void runWhenLocalDirectoryUnusableShouldFail() throws Exception {
        Path file = java.nio.file.Files.createFile(locks.resolve("a-file"));
        runner().withPropertyValues("leader.local.directory=" + file.resolve("sub")).run(context ->
                assertThat(failure(context)).contains("leader.local.directory"));
    }

    @Test
    void runWhenTwoBackendsConfiguredShouldFailAsAmbiguous() {
        runner().withPropertyValues("leader.redis.url=redis://localhost:6379", "leader.zookeeper.connect-string=localhost:2181")
                .run(context -> assertThat(failure(context)).contains("ambiguous").contains("leader.backend"));
    }

    @Test
    void runWhenZookeeperChosenButClientMissingShouldFailNamingDependency() {
        runner().withClassLoader(new FilteredClassLoader(ZooKeeper.class))
                .withPropertyValues("leader.zookeeper.connect-string=localhost:2181")
                .run(context -> assertThat(failure(context)).contains("org.apache.zookeeper:zookeeper").contains("zookeeper"));
    }

    @Test
    void runWhenRedisChosenButLettuceMissingShouldFailNamingDependency() {
        runner().withClassLoader(new FilteredClassLoader(RedisClient.class)).withPropertyValues("leader.backend=redis")
                .run(context -> assertThat(failure(context)).contains("io.lettuce:lettuce-core"));
    }

    @Test
    void runWithoutOptionalClientsShouldStillStartOnLocal() {
        runner().withClassLoader(new FilteredClassLoader(ZooKeeper.class, RedisClient.class)).run(context ->
                assertThat(context).hasNotFailed().hasSingleBean(ElectionRegistry.class));
    }

    /** The start-up report a user sees, as Boot's failure analyzers would print it. */
    static String failure(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        Throwable failure = context.getStartupFailure();
        FailureAnalysis analysis = new LeaderFailureAnalyzer().analyze(failure);
        assertThat(analysis).as("analysis of %s", failure).isNotNull();
        return analysis.getDescription() + "\n" + analysis.getAction();
    }

    static class EventCollector {

        final List<LeaderEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(LeaderEvent event) {
            events.add(event);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnRegistry {

        @Bean
        ElectionRegistry electionRegistry(ElectionBackend backend) {
            return new ElectionRegistry(backend, "me", "mine", Duration.ofSeconds(10), List.of());
        }
    }

}
