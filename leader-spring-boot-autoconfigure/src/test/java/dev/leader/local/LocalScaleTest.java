package dev.leader.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many elections waiting in one JVM for locks another process holds: at most
 * {@link LockWaiters#THREADS} threads wait in the kernel, the others are polled, and every one
 * of them still takes over after a graceful release and after the holder is killed.
 */
class LocalScaleTest {

    private static final int ELECTIONS = LockWaiters.THREADS + 24;

    @TempDir
    Path directory;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** Election name to the fencing token granted here. */
    private final Map<String, Long> granted = new ConcurrentHashMap<>();

    /** Election name to when it was granted here ({@code System.nanoTime()}). */
    private final Map<String, Long> grantedAt = new ConcurrentHashMap<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @Test
    void followersWaitOnABoundedNumberOfThreadsAndAllTakeOver() throws Exception {
        LocalCandidateProcess holder = LocalCandidateProcess.start(directory);
        closeables.add(holder);
        for (int i = 0; i < ELECTIONS; i++) {
            holder.send("start e-" + i + " holder");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> allGranted(holder));

        LocalElectionBackend backend = new LocalElectionBackend(directory);
        closeables.add(backend);
        for (int i = 0; i < ELECTIONS; i++) {
            Election election = backend.election("e-" + i, "here");
            String name = election.name();
            election.addListener(new ElectionListener() {
                @Override
                public void granted(Leadership leadership) {
                    grantedAt.put(name, System.nanoTime());
                    granted.put(name, leadership.fencingToken());
                }
            });
            election.start();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> polled().size() == ELECTIONS - LockWaiters.THREADS);
        assertThat(lockerThreads()).isEqualTo(LockWaiters.THREADS);

        // A graceful release of a polled election: the file changes, the poller takes the lock.
        String polled = polled().get(0);
        long closed = System.nanoTime();
        holder.send("close " + polled);
        await().atMost(Duration.ofSeconds(10)).until(() -> granted.containsKey(polled));
        System.out.printf("local, %d elections waiting: a polled election taken over %.1f ms after the holder closed it%n",
                ELECTIONS, (grantedAt.get(polled) - closed) / 1e6);

        // kill -9: nothing written; the waiting threads are woken by the kernel, the polled files tried within a second.
        holder.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> granted.size() == ELECTIONS);
        for (int i = 0; i < ELECTIONS; i++) {
            long holderToken = Long.parseLong(holder.granted("e-" + i).orElseThrow()[2]);
            assertThat(granted.get("e-" + i)).as("token of e-" + i).isGreaterThan(holderToken);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> lockerThreads() == 0);
    }

    private static boolean allGranted(LocalCandidateProcess holder) {
        for (int i = 0; i < ELECTIONS; i++) {
            if (holder.granted("e-" + i).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** The elections of this test whose lock file waits without a thread. */
    private List<String> polled() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < ELECTIONS; i++) {
            if (LockWaiters.isPolled(LockFile.of(directory.resolve("e-" + i + LocalElectionBackend.SUFFIX)))) {
                names.add("e-" + i);
            }
        }
        return names;
    }

    private static long lockerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("leader-local-lock-"))
                .count();
    }
}
