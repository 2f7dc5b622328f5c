package dev.leader.local;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two applications that each lead one of two elections and wait for the other's. With POSIX
 * record locks the kernel sees a cycle (app 1 holds x and waits for y, app 2 holds y and waits
 * for x) and refuses the second wait with {@code EDEADLK} instead of putting it to sleep; no
 * kernel wake-up will come for that waiter.
 */
class LocalCrossedElectionsTest {

    @TempDir
    Path directory;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private LocalCandidateProcess app() throws IOException {
        LocalCandidateProcess app = LocalCandidateProcess.start(directory);
        closeables.add(app);
        return app;
    }

    @Test
    void theWaiterRefusedForADeadlockIsGrantedWhenTheOtherReleases() throws Exception {
        LocalCandidateProcess app1 = app();
        LocalCandidateProcess app2 = app();
        crossElections(app1, app2);
        // y stays app2's while app2 holds it (and the old retry backoff grows to its 5 s cap).
        await().during(Duration.ofMillis(3500)).atMost(Duration.ofSeconds(10)).until(() -> app1.granted("y").isEmpty());

        long released = System.nanoTime();
        app2.send("close y");
        // Well under the old poll of 5 to 10 s.
        await().atMost(Duration.ofMillis(1500)).until(() -> app1.granted("y").isPresent());
        long granted = Long.parseLong(app1.granted("y").orElseThrow()[3]);
        System.out.printf("crossed elections: y closed by app2 -> granted to app1 in %.1f ms%n", (granted - released) / 1e6);
    }

    @Test
    void theWaiterRefusedForADeadlockIsGrantedWithinASecondOrSoWhenTheOtherDies() throws Exception {
        LocalCandidateProcess app1 = app();
        LocalCandidateProcess app2 = app();
        crossElections(app1, app2);
        await().during(Duration.ofMillis(3500)).atMost(Duration.ofSeconds(10)).until(() -> app1.granted("y").isEmpty());

        long killed = System.nanoTime();
        app2.close(); // kill -9: nothing written, no file event; only the retry every second notices
        await().atMost(Duration.ofSeconds(3)).until(() -> app1.granted("y").isPresent());
        long granted = Long.parseLong(app1.granted("y").orElseThrow()[3]);
        System.out.printf("crossed elections: app2 killed -> y granted to app1 in %.1f ms%n", (granted - killed) / 1e6);
    }

    /** app1 leads x, app2 leads y, app2 waits for x (asleep in the kernel), then app1 asks for y. */
    private static void crossElections(LocalCandidateProcess app1, LocalCandidateProcess app2) throws IOException {
        app1.send("start x app1");
        await().atMost(Duration.ofSeconds(10)).until(() -> app1.granted("x").isPresent());
        app2.send("start y app2");
        await().atMost(Duration.ofSeconds(10)).until(() -> app2.granted("y").isPresent());
        app2.send("start x app2");
        await().atMost(Duration.ofSeconds(10)).until(() -> app2.isBlockedInTheKernel());
        // app1's wait for y closes the cycle: the kernel answers EDEADLK.
        app1.send("start y app1");
    }
}
