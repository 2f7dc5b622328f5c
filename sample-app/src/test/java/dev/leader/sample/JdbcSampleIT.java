package dev.leader.sample;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import dev.leader.testsupport.MariaDbServer;
import dev.leader.testsupport.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample on the jdbc backend with one argument, {@code --leader.jdbc.url}, against a real
 * PostgreSQL and a real MariaDB: it bundles both drivers and creates its lease table. Two
 * instances, one leader; when it stops, the other takes over.
 */
class JdbcSampleIT {

    @TempDir
    Path work;

    @Test
    void electsOnPostgreSql() throws IOException {
        try (PostgresServer postgres = PostgresServer.start()) {
            electsAndHandsOver(postgres.jdbcUrl() + "?user=" + postgres.user());
        }
    }

    @Test
    void electsOnMariaDb() throws IOException {
        try (MariaDbServer mariadb = MariaDbServer.start()) {
            electsAndHandsOver(mariadb.jdbcUrl() + "?user=" + mariadb.user());
        }
    }

    private void electsAndHandsOver(String url) throws IOException {
        try (SampleInstances instances = new SampleInstances(work)) {
            SampleInstances.Instance first = instances.start("--leader.jdbc.url=" + url);
            await().atMost(SampleInstances.BOOT).pollInterval(Duration.ofMillis(200))
                    .until(() -> instances.state(first, "sample").equals(Optional.of("LEADER")));
            SampleInstances.Instance second = instances.start("--leader.jdbc.url=" + url);
            await().atMost(SampleInstances.BOOT).pollInterval(Duration.ofMillis(200))
                    .until(() -> instances.state(second, "sample").equals(Optional.of("FOLLOWER")));
            first.process().destroy(); // SIGTERM: a graceful stop releases the lease
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> instances.state(second, "sample").equals(Optional.of("LEADER")));
        }
    }
}
