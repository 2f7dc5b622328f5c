package dev.leader.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import dev.leader.election.Election;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A candidate that yields campaigns again after a pause; withdrawn meanwhile, it must not take
 * the lock back. The race is made certain by holding the rejoin at its traced step (the hand-off
 * steps' logger at TRACE, an appender that waits) while the withdrawal runs, and letting the next
 * candidate start only once the rejoin's task is done.
 */
class LocalYieldThenWithdrawTest {

    private static final String ELECTION = "yield-withdraw";

    @TempDir
    Path directory;

    @Test
    void aCandidateWithdrawnWhileItsRejoinAfterAYieldIsUnderWayLeavesTheLockToTheOthers() throws Exception {
        HeldStep rejoin = new HeldStep("yield: pause over, joining");
        Logger steps = (Logger) LoggerFactory.getLogger("dev.leader.handoff");
        Level level = steps.getLevel();
        steps.setLevel(Level.TRACE);
        steps.addAppender(rejoin);
        rejoin.start();
        try (LocalElectionBackend first = new LocalElectionBackend(directory);
                LocalElectionBackend second = new LocalElectionBackend(directory);
                Election a = first.election(ELECTION, "a"); Election b = second.election(ELECTION, "b")) {
            a.start();
            await().atMost(Duration.ofSeconds(5)).until(a::isLeader);

            a.yieldLeadership();
            assertThat(rejoin.awaitReached(Duration.ofSeconds(5))).as("the rejoin reached its step").isTrue();
            a.withdraw();
            rejoin.release();
            await("the rejoin's task is done").atMost(Duration.ofSeconds(5)).until(rejoin::finished);

            b.start();
            await().atMost(Duration.ofSeconds(5)).until(b::isLeader);
            assertThat(a.isLeader()).isFalse();
        }
        finally {
            rejoin.release();
            steps.detachAppender(rejoin);
            steps.setLevel(level);
        }
    }

    /** Holds the thread that logs a message containing {@code step} until released. */
    private static final class HeldStep extends UnsynchronizedAppenderBase<ILoggingEvent> {

        private final String step;

        private volatile @Nullable Thread held;

        private volatile boolean resumed;

        private final CountDownLatch reached = new CountDownLatch(1);

        private final CountDownLatch released = new CountDownLatch(1);

        HeldStep(String step) {
            this.step = step;
        }

        @Override
        protected void append(ILoggingEvent event) {
            if (event.getFormattedMessage().contains(step) && reached.getCount() > 0) {
                held = Thread.currentThread();
                reached.countDown();
                try {
                    released.await(10, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                resumed = true;
            }
        }

        boolean awaitReached(Duration timeout) throws InterruptedException {
            return reached.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        void release() {
            released.countDown();
        }

        /** The held thread went on and left the local backend's code: the task that logged is done. */
        boolean finished() {
            Thread thread = held;
            return resumed && thread != null && Arrays.stream(thread.getStackTrace())
                    .noneMatch(frame -> frame.getClassName().startsWith("dev.leader.local."));
        }
    }
}
