package dev.leader.jdbc.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import dev.leader.autoconfigure.LeaderAutoConfiguration;
import dev.leader.election.ElectionBackend;
import dev.leader.jdbc.JdbcElectionBackend;
import dev.leader.jdbc.JdbcFencing;
import dev.leader.local.LocalElectionBackend;
import dev.leader.spring.ElectionRegistry;
import dev.leader.testsupport.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * Choosing and configuring the JDBC backend: through the application's database (Boot's
 * {@code spring.datasource.*}) or a URL of its own; never by surprise.
 */
class JdbcBackendConfigurationTests {

    // Static: the runner below is built when the test instance is, before an instance field is injected.
    @TempDir
    static Path locks;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LeaderAutoConfiguration.class, DataSourceAutoConfiguration.class))
            .withPropertyValues("leader.local.directory=" + locks, "leader.lease-duration=2s");

    private static String h2() {
        return "jdbc:h2:mem:leader-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    @Test
    void runWhenJdbcChosenShouldElectThroughTheApplicationsDatabaseOnConnectionsOfItsOwn() {
        runner.withPropertyValues("leader.backend=jdbc", "spring.datasource.url=" + h2()).run(context -> {
            assertThat(context.getBean(ElectionBackend.class)).isInstanceOf(JdbcElectionBackend.class);
            await().atMost(Duration.ofSeconds(15)).until(() -> context.getBean(ElectionRegistry.class).defaultElection().isLeader());
            assertThat(context).hasSingleBean(JdbcFencing.class);
        });
    }

    @Test
    void runWhenOnlyADataSourceExistsShouldNotWriteToItAndSaySo() {
        runner.withPropertyValues("spring.datasource.url=" + h2()).run(context ->
                assertThat(context.getBean(ElectionBackend.class)).isInstanceOf(LocalElectionBackend.class));
    }

    @Test
    void runWhenJdbcUrlSetShouldInferTheBackend() {
        runner.withPropertyValues("leader.jdbc.url=" + h2(), "leader.jdbc.initialize-schema=always").run(context -> {
            assertThat(context.getBean(ElectionBackend.class)).isInstanceOf(JdbcElectionBackend.class);
            await().atMost(Duration.ofSeconds(15)).until(() -> context.getBean(ElectionRegistry.class).defaultElection().isLeader());
        });
    }

    @Test
    void runWhenTheApplicationsMigrationsCreateTheTableShouldStartAfterThem() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LeaderAutoConfiguration.class, DataSourceAutoConfiguration.class,
                        DataSourceInitializationAutoConfiguration.class))
                .withPropertyValues("leader.backend=jdbc", "spring.datasource.url=" + h2(), "leader.lease-duration=2s",
                        "leader.jdbc.initialize-schema=never", "spring.sql.init.mode=always",
                        "spring.sql.init.schema-locations=classpath:dev/leader/jdbc/schema-h2.sql")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    await().atMost(Duration.ofSeconds(15))
                            .until(() -> context.getBean(ElectionRegistry.class).defaultElection().isLeader());
                });
    }

    @Test
    void runWhenBadTableNameShouldFailNamingTheProperty() {
        runner.withPropertyValues("leader.backend=jdbc", "spring.datasource.url=" + h2(), "leader.jdbc.table-name=leader-election")
                .run(context -> assertThat(failure(context)).contains("leader.jdbc.table-name").contains("leader-election")
                        .contains("unquoted SQL identifier"));
    }

    @Test
    void runWhenJdbcChosenWithoutADatabaseShouldFailNamingTheProperty() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(LeaderAutoConfiguration.class))
                .withPropertyValues("leader.backend=jdbc")
                .run(context -> assertThat(failure(context)).contains("leader.jdbc.url").contains("spring.datasource"));
    }

    @Test
    void runWhenPostgresIsDownAtStartShouldStartAndLeadOnceItIsUp() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            postgres.kill9();
            runner.withPropertyValues("leader.jdbc.url=" + postgres.jdbcUrl(), "leader.jdbc.username=" + postgres.user(),
                    "leader.jdbc.initialize-schema=always").run(context -> {
                        assertThat(context).hasNotFailed();
                        ElectionRegistry registry = context.getBean(ElectionRegistry.class);
                        assertThat(registry.defaultElection().isLeader()).isFalse();
                        postgres.restart();
                        await().atMost(Duration.ofSeconds(30)).until(() -> registry.defaultElection().isLeader());
                    });
        }
    }

    static String failure(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        for (FailureAnalyzer analyzer : SpringFactoriesLoader.forDefaultResourceLocation().load(FailureAnalyzer.class,
                SpringFactoriesLoader.FailureHandler.handleMessage((message, failure) -> { }))) {
            FailureAnalysis analysis = analyzer.analyze(context.getStartupFailure());
            if (analysis != null && analyzer.getClass().getName().startsWith("dev.leader")) {
                return analysis.getDescription() + "\n" + analysis.getAction();
            }
        }
        throw new AssertionError("no leader failure analysis of " + context.getStartupFailure());
    }
}
