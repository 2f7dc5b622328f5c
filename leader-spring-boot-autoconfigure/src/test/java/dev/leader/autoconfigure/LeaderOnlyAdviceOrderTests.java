package dev.leader.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import dev.leader.spring.ElectionRegistry;
import dev.leader.spring.LeaderContext;
import dev.leader.spring.LeaderOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.transaction.ConfigurableTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionExecution;
import org.springframework.transaction.TransactionExecutionListener;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The guard is the outermost advice of a method that has Spring's too: a follower skips the call
 * before a transaction begins (a scheduled {@code @LeaderOnly @Transactional} job would otherwise
 * check out a connection on every instance at every tick), and a leader runs it inside one.
 * {@code @Async} is the exception: it goes first, and the guard runs on the executor's thread.
 * Boot's own auto-configurations, a real transaction manager on an in-memory H2 database, and
 * the local backend: two contexts sharing one lock directory are two candidates.
 */
class LeaderOnlyAdviceOrderTests {

    @TempDir
    Path locks;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LeaderAutoConfiguration.class, DataSourceAutoConfiguration.class,
                        DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class))
                .withPropertyValues("leader.local.directory=" + locks).withBean(Exports.class);
    }

    @Test
    void followerSkipsTheCallBeforeATransactionBegins() {
        runner().run(leader -> {
            await().atMost(Duration.ofSeconds(5)).until(() -> leader.getBean(ElectionRegistry.class).defaultElection().isLeader());
            runner().run(follower -> {
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> follower.getBean(ElectionRegistry.class).defaultElection().leaderId().isPresent());
                AtomicInteger begun = countBegunTransactions(follower);
                Exports exports = follower.getBean(Exports.class);
                exports.export();
                assertThat(exports.runs()).isZero();
                assertThat(begun).as("transactions begun on the follower").hasValue(0);
            });
        });
    }

    @Test
    void leaderRunsTheCallInsideATransaction() {
        runner().run(context -> {
            await().atMost(Duration.ofSeconds(5)).until(() -> context.getBean(ElectionRegistry.class).defaultElection().isLeader());
            AtomicInteger begun = countBegunTransactions(context);
            Exports exports = context.getBean(Exports.class);
            exports.export();
            assertThat(exports.runs()).isEqualTo(1);
            assertThat(exports.ranInTransaction()).isTrue();
            assertThat(begun).hasValue(1);
        });
    }

    @Test
    void asyncRunsFirstAndTheGuardWhereTheCallRuns() {
        // @Async's post-processor puts its advisor in front of those of an existing proxy.
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(LeaderAutoConfiguration.class))
                .withPropertyValues("leader.local.directory=" + locks).withUserConfiguration(AsyncOn.class)
                .withBean(AsyncExports.class).run(context -> {
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> context.getBean(ElectionRegistry.class).defaultElection().isLeader());
                    String caller = Thread.currentThread().getName();
                    String ran = context.getBean(AsyncExports.class).export().get(5, TimeUnit.SECONDS);
                    assertThat(ran).doesNotStartWith(caller + " ").endsWith("with a term");
                });
    }

    private static AtomicInteger countBegunTransactions(ApplicationContext context) {
        AtomicInteger begun = new AtomicInteger();
        ((ConfigurableTransactionManager) context.getBean(PlatformTransactionManager.class))
                .addListener(new TransactionExecutionListener() {

                    @Override
                    public void afterBegin(TransactionExecution transaction, Throwable beginFailure) {
                        begun.incrementAndGet();
                    }
                });
        return begun;
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    static class AsyncOn {
    }

    static class AsyncExports {

        @LeaderOnly
        @Async
        public CompletableFuture<String> export() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName() + " "
                    + (LeaderContext.current().isPresent() ? "with a term" : "without a term"));
        }
    }

    static class Exports {

        private final AtomicInteger runs = new AtomicInteger();

        private volatile boolean inTransaction;

        @LeaderOnly
        @Transactional
        public void export() {
            runs.incrementAndGet();
            inTransaction = TransactionSynchronizationManager.isActualTransactionActive();
        }

        public int runs() {
            return runs.get();
        }

        public boolean ranInTransaction() {
            return inTransaction;
        }
    }
}
