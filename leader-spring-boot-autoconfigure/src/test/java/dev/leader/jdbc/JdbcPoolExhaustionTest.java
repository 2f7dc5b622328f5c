package dev.leader.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.leader.election.Election;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The application's own threads exhaust the pool the backend was given: the election goes on,
 * on the connections the backend holds, and hands over both ways.
 */
class JdbcPoolExhaustionTest {

    static final Duration LEASE = Duration.ofSeconds(1);

    enum Database {
        POSTGRESQL, MARIADB
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void anElectionKeepsWorkingWhileTheApplicationsThreadsHoldEveryPooledConnection(Database database) throws Exception {
        String election = "pool-" + UUID.randomUUID().toString().substring(0, 8);
        HikariConfig config = new HikariConfig();
        if (database == Database.POSTGRESQL) {
            config.setJdbcUrl(SharedServers.postgres().jdbcUrl());
            config.setUsername(SharedServers.postgres().user());
        }
        else {
            config.setJdbcUrl(SharedServers.mariaDb().jdbcUrl());
            config.setUsername(SharedServers.mariaDb().user());
        }
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(250);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger starved = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        try (HikariDataSource pool = new HikariDataSource(config);
                JdbcElectionBackend pooled = new JdbcElectionBackend(pool, DataSources.settings(LEASE));
                JdbcElectionBackend other = new JdbcElectionBackend(
                        database == Database.POSTGRESQL ? TestDatabase.POSTGRESQL.dataSource() : TestDatabase.MARIADB.dataSource(),
                        DataSources.settings(LEASE))) {
            Election a = pooled.election(election, "a");
            a.start();
            await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
            Election b = other.election(election, "b");
            b.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> b.leaderId().filter("a"::equals).isPresent());

            // The application's threads: some hold every remaining connection, more wait for one.
            for (int i = 0; i < 6; i++) {
                Thread thread = new Thread(() -> useThePool(pool, release, starved), "app-" + i);
                thread.setDaemon(true);
                thread.start();
                threads.add(thread);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.getHikariPoolMXBean().getActiveConnections() == 4
                    && starved.get() > 0);

            await().during(LEASE.multipliedBy(3)).atMost(LEASE.multipliedBy(4)).until(a::isLeader);
            a.yieldLeadership();
            await().atMost(Duration.ofSeconds(5)).until(b::isLeader);
            b.close();
            await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
            assertThat(pool.getHikariPoolMXBean().getActiveConnections()).as("the pool is still exhausted").isEqualTo(4);
            assertThat(starved.get()).as("application threads that timed out waiting for a connection").isPositive();
        }
        finally {
            release.countDown();
            for (Thread thread : threads) {
                thread.join(5_000);
            }
        }
    }

    private static void useThePool(HikariDataSource pool, CountDownLatch release, AtomicInteger starved) {
        while (release.getCount() > 0) {
            try (Connection connection = pool.getConnection()) {
                release.await();
            }
            catch (SQLException ex) {
                starved.incrementAndGet();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
