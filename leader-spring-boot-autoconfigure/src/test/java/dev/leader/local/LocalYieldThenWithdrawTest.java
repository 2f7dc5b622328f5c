package dev.leader.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import dev.leader.election.Election;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A candidate that yields campaigns again after a pause; withdrawn meanwhile, it must not take
 * the lock back. The race is made certain by holding the rejoin at its traced step (the hand-off
 * steps' logger at TRACE, an appender that waits) while the withdrawal runs.
 */
class LocalYieldThenWithdrawTest {

    private static final String ELECTION = "yield-withdraw";

    @TempDir
    Path directory;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private Election candidate(String id) {
        LocalElectionBackend backend = new LocalElectionBackend(directory);
        closeables.add(backend);
        Election election = backend.election(ELECTION, id);
        closeables.add(election);
        election.start();
        return election;
    }

    @Test
    void aCandidateWithdrawnWhileItsRejoinAfterAYieldIsUnderWayLeavesTheLockToTheOthers() throws Exception {
        HeldStep rejoin = new HeldStep("yield: pause over, joining");
        Logger steps = (Logger) LoggerFactory.getLogger("dev.leader.handoff");
        Level level = steps.getLevel();
        steps.setLevel(Level.TRACE);
        steps.addAppender(rejoin);
        rejoin.start();
        closeables.add(() -> {
            rejoin.release();
            steps.detachAppender(rejoin);
            steps.setLevel(level);
        });
        Election a = candidate("a");
        await().atMost(Duration.ofSeconds(5)).until(a::isLeader);

        a.yieldLeadership();
        assertThat(rejoin.awaitReached(Duration.ofSeconds(5))).as("the rejoin reached its step").isTrue();
        a.withdraw();
        rejoin.release();

        Election b = candidate("b");
        await().atMost(Duration.ofSeconds(5)).until(b::isLeader);
        assertThat(a.isLeader()).isFalse();
    }

    /** Holds the thread that logs a message containing {@code step} until released. */
    private static final class HeldStep extends UnsynchronizedAppenderBase<ILoggingEvent> {

        private final String step;

        private final CountDownLatch reached = new CountDownLatch(1);

        private final CountDownLatch released = new CountDownLatch(1);

        HeldStep(String step) {
            this.step = step;
        }

        @Override
        protected void append(ILoggingEvent event) {
            if (event.getFormattedMessage().contains(step) && reached.getCount() > 0) {
                reached.countDown();
                try {
                    released.await(10, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        boolean awaitReached(Duration timeout) throws InterruptedException {
            return reached.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        void release() {
            released.countDown();
        }
    }
}
