package dev.leader.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import dev.leader.spring.ElectionRegistry;
import dev.leader.autoconfigure.LeaderAutoConfiguration;
import dev.leader.testsupport.EtcdCluster;
import dev.leader.testsupport.PostgresServer;
import dev.leader.testsupport.RedisServer;
import dev.leader.testsupport.ZooKeeperTestServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * An election backend that cannot be reached pauses leader-only work on this instance; it must
 * not take the application out of service. On real servers of every kind: down at start, lost
 * after start and back again.
 */
class LeaderHealthOutageTests {

    private static final Duration LEASE = Duration.ofSeconds(2);

    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    /** A real server of one backend kind that the test stops and starts again on its port. */
    interface Server extends AutoCloseable {

        String property();

        void stop() throws Exception;

        void restart() throws Exception;
    }

    enum Kind {

        ZOOKEEPER {
            @Override
            Server start(Path temp) throws Exception {
                ZooKeeperTestServer server = new ZooKeeperTestServer();
                return new Server() {
                    @Override
                    public String property() {
                        return "leader.zookeeper.connect-string=" + server.connectString();
                    }

                    @Override
                    public void stop() {
                        server.stop();
                    }

                    @Override
                    public void restart() throws Exception {
                        server.start();
                    }

                    @Override
                    public void close() {
                        server.stop();
                    }
                };
            }
        },
        REDIS {
            @Override
            Server start(Path temp) throws Exception {
                RedisServer server = RedisServer.builder().appendOnly().start();
                return new Server() {
                    @Override
                    public String property() {
                        return "leader.redis.url=" + server.url();
                    }

                    @Override
                    public void stop() throws Exception {
                        server.kill9();
                    }

                    @Override
                    public void restart() throws Exception {
                        server.restart();
                    }

                    @Override
                    public void close() throws Exception {
                        server.close();
                    }
                };
            }
        },
        ETCD {
            @Override
            Server start(Path temp) throws Exception {
                EtcdCluster server = EtcdCluster.start(1);
                return new Server() {
                    @Override
                    public String property() {
                        return "leader.etcd.endpoints=" + server.endpoints().get(0);
                    }

                    @Override
                    public void stop() {
                        server.kill9(0);
                    }

                    @Override
                    public void restart() throws Exception {
                        server.restart(0);
                    }

                    @Override
                    public void close() throws Exception {
                        server.close();
                    }
                };
            }
        },
        JDBC {
            @Override
            Server start(Path temp) throws Exception {
                PostgresServer server = PostgresServer.start();
                return new Server() {
                    @Override
                    public String property() {
                        return "leader.jdbc.url=" + server.jdbcUrl() + "?user=" + server.user() + "&connectTimeout=2";
                    }

                    @Override
                    public void stop() {
                        server.kill9();
                    }

                    @Override
                    public void restart() throws Exception {
                        server.restart();
                    }

                    @Override
                    public void close() throws Exception {
                        server.close();
                    }
                };
            }
        };

        abstract Server start(Path temp) throws Exception;
    }

    private ApplicationContextRunner runner(Server server) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LeaderAutoConfiguration.class,
                        LeaderHealthContributorAutoConfiguration.class, EndpointAutoConfiguration.class,
                        HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
                        HealthEndpointAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class,
                        AvailabilityHealthContributorAutoConfiguration.class, AvailabilityProbesAutoConfiguration.class))
                .withPropertyValues(server.property(), "leader.lease-duration=" + LEASE.toMillis() + "ms",
                        "leader.jdbc.initialize-schema=always",
                        "management.endpoint.health.probes.enabled=true",
                        "management.endpoint.health.show-details=always")
                .withInitializer(context -> context.addApplicationListener((ContextRefreshedEvent refreshed) -> {
                    // What SpringApplication publishes once the application has started.
                    AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
                    AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
                }));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void backendDownAtStartLeavesTheApplicationUpAndTheComponentSaysSo(Kind kind) throws Exception {
        try (Server server = kind.start(temp)) {
            server.stop();
            runner(server).run(context -> {
                assertThat(context).hasNotFailed();
                await().atMost(BOUND).until(() -> leader(context).getStatus().equals(LeaderHealthIndicator.UNREACHABLE));
                assertThat(details(context)).containsEntry("reachable", false).containsKey("unreachableSince")
                        .containsKey("lastError").containsKey("elections");
                assertThat(health(context).health().getStatus()).isEqualTo(Status.UP);
                assertThat(health(context).healthForPath("liveness").getStatus()).isEqualTo(Status.UP);
                assertThat(health(context).healthForPath("readiness").getStatus()).isEqualTo(Status.UP);

                server.restart();
                await().atMost(BOUND).until(() -> leader(context).getStatus().equals(Status.UP)
                        && context.getBean(ElectionRegistry.class).defaultElection().isLeader());
                assertThat(details(context)).containsEntry("reachable", true);
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void backendLostAfterStartLeavesTheApplicationUpAndComesBack(Kind kind) throws Exception {
        try (Server server = kind.start(temp)) {
            runner(server).run(context -> {
                ElectionRegistry registry = context.getBean(ElectionRegistry.class);
                await().atMost(BOUND).until(() -> registry.defaultElection().isLeader());
                assertThat(leader(context).getStatus()).isEqualTo(Status.UP);

                server.stop();
                await().atMost(BOUND).until(() -> leader(context).getStatus().equals(LeaderHealthIndicator.UNREACHABLE));
                assertThat(registry.defaultElection().isLeader()).isFalse();
                assertThat(details(context)).containsEntry("reachable", false);
                assertThat(health(context).health().getStatus()).isEqualTo(Status.UP);
                assertThat(health(context).healthForPath("liveness").getStatus()).isEqualTo(Status.UP);

                server.restart();
                await().atMost(BOUND).until(() -> leader(context).getStatus().equals(Status.UP) && registry.defaultElection().isLeader());
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void optInMakesAnUnreachableBackendDownForTheAggregateButNotForLiveness(Kind kind) throws Exception {
        try (Server server = kind.start(temp)) {
            server.stop();
            runner(server).withPropertyValues("leader.health.down-when-unreachable=true").run(context -> {
                await().atMost(BOUND).until(() -> leader(context).getStatus().equals(Status.DOWN));
                assertThat(health(context).health().getStatus()).isEqualTo(Status.DOWN);
                assertThat(health(context).healthForPath("liveness").getStatus()).isEqualTo(Status.UP);
                assertThat(health(context).healthForPath("readiness").getStatus()).isEqualTo(Status.UP);
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void readinessFollowsTheBackendOnlyWhenTheComponentIsInTheGroup(Kind kind) throws Exception {
        try (Server server = kind.start(temp)) {
            runner(server).withPropertyValues(
                    "management.endpoint.health.group.readiness.include=readinessState,leader",
                    "management.endpoint.health.group.readiness.status.order=down,unreachable,out-of-service,up,unknown",
                    "management.endpoint.health.group.readiness.status.http-mapping.unreachable=503").run(context -> {
                        await().atMost(BOUND).until(() -> context.getBean(ElectionRegistry.class).defaultElection().isLeader());
                        assertThat(health(context).healthForPath("readiness").getStatus()).isEqualTo(Status.UP);

                        server.stop();
                        await().atMost(BOUND).until(() -> health(context).healthForPath("readiness").getStatus()
                                .equals(LeaderHealthIndicator.UNREACHABLE));
                        assertThat(context.getBean(HealthEndpointGroups.class).get("readiness").getHttpCodeStatusMapper()
                                .getStatusCode(LeaderHealthIndicator.UNREACHABLE)).isEqualTo(503);
                        assertThat(health(context).health().getStatus()).isEqualTo(Status.UP);
                        assertThat(health(context).healthForPath("liveness").getStatus()).isEqualTo(Status.UP);

                        server.restart();
                        await().atMost(BOUND).until(() -> health(context).healthForPath("readiness").getStatus().equals(Status.UP));
                    });
        }
    }

    private static HealthEndpoint health(AssertableApplicationContext context) {
        return context.getBean(HealthEndpoint.class);
    }

    private static HealthDescriptor leader(AssertableApplicationContext context) {
        return ((CompositeHealthDescriptor) health(context).health()).getComponents().get("leader");
    }

    private static Map<String, Object> details(AssertableApplicationContext context) {
        return ((IndicatedHealthDescriptor) leader(context)).getDetails();
    }
}
