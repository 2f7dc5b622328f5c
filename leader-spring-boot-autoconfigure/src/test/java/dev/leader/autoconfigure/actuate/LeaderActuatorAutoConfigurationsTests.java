package dev.leader.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import dev.leader.spring.ElectionRegistry;
import dev.leader.autoconfigure.LeaderAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class LeaderActuatorAutoConfigurationsTests {

    @TempDir
    Path locks;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LeaderAutoConfiguration.class, LeaderEndpointAutoConfiguration.class,
                        LeaderHealthContributorAutoConfiguration.class, LeaderMetricsAutoConfiguration.class,
                        EndpointAutoConfiguration.class, HealthContributorAutoConfiguration.class))
                .withPropertyValues("leader.local.directory=" + locks, "management.endpoints.web.exposure.include=leader");
    }

    @Test
    void runWithActuatorShouldProvideEndpointAndHealth() {
        runner().run(context -> {
            assertThat(context).hasSingleBean(LeaderEndpoint.class).hasSingleBean(LeaderHealthIndicator.class);
            assertThat(context).doesNotHaveBean(LeaderMetrics.class);
        });
    }

    @Test
    void runWhenEndpointDisabledShouldNotProvideIt() {
        runner().withPropertyValues("management.endpoint.leader.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(LeaderEndpoint.class).hasSingleBean(LeaderHealthIndicator.class));
    }

    @Test
    void runWhenEndpointAccessNoneShouldNotProvideIt() {
        runner().withPropertyValues("management.endpoint.leader.access=NONE")
                .run(context -> assertThat(context).doesNotHaveBean(LeaderEndpoint.class));
    }

    @Test
    void runWhenHealthIndicatorDisabledShouldNotProvideIt() {
        runner().withPropertyValues("management.health.leader.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(LeaderHealthIndicator.class));
    }

    @Test
    void runWhenLeaderDisabledShouldProvideNothing() {
        runner().withPropertyValues("leader.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(LeaderEndpoint.class).doesNotHaveBean(LeaderHealthIndicator.class).doesNotHaveBean(LeaderMetrics.class));
    }

    @Test
    void runWithoutActuatorOnClassPathShouldStillElect() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(LeaderAutoConfiguration.class))
                .withPropertyValues("leader.local.directory=" + locks)
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate", "org.springframework.boot.health",
                "io.micrometer")).run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(ElectionRegistry.class);
                    assertThat(context).doesNotHaveBean(LeaderEndpoint.class).doesNotHaveBean(LeaderHealthIndicator.class);
                });
    }

    /** Every application with the actuator's metrics logged this WARN at start-up. */
    @Test
    void runWithMetricsShouldNotWarnOfBeansCreatedBeforeThePostProcessors(CapturedOutput output) {
        runner().withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class)).run(context -> {
            assertThat(context).hasNotFailed().hasBean("meterRegistryPostProcessor");
            assertThat(output).doesNotContain("is not eligible for getting processed by all BeanPostProcessors");
        });
    }

    @Test
    void runWithMeterRegistryShouldRecordTransitionsWithoutCandidateIds() {
        runner().withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context).hasSingleBean(LeaderMetrics.class);
            ElectionRegistry registry = context.getBean(ElectionRegistry.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.defaultElection().isLeader());
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> meters.find("leader.transitions").tag("type", "granted").counter() != null);
            assertThat(meters.get("leader.active").tag("election", "default").gauge().value()).isEqualTo(1.0);
            assertThat(meters.get("leader.acquire").timer().count()).isEqualTo(1);
            registry.defaultElection().yieldLeadership();
            assertThat(meters.get("leader.active").gauge().value()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> meters.find("leader.transitions").tag("reason", "yielded").counter() != null);
            meters.getMeters().forEach(meter -> assertThat(meter.getId().getTags())
                    .noneMatch(tag -> tag.getValue().contains(registry.candidateId())));
        });
    }

    @Test
    void healthShouldBeUpForAFollower() {
        runner().run(leader -> {
            await().atMost(Duration.ofSeconds(5)).until(() -> leader.getBean(ElectionRegistry.class).defaultElection().isLeader());
            runner().run(follower -> {
                await().atMost(Duration.ofSeconds(5)).until(() -> follower.getBean(ElectionRegistry.class).defaultElection().leaderId().isPresent());
                var health = follower.getBean(LeaderHealthIndicator.class).health(true);
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(health.getDetails()).containsEntry("backend", "local");
                assertThat(health.getDetails().get("elections").toString()).contains("role=follower");
            });
        });
    }
}
