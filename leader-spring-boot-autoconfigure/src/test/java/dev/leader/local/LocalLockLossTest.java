package dev.leader.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import dev.leader.election.Election;
import dev.leader.election.EventLog;
import dev.leader.testsupport.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A held OS lock that goes away under the holder ends its term, and the holder campaigns again. */
class LocalLockLossTest {

    private static final String ELECTION = "loss";

    @TempDir
    Path directory;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    private final EventLog events = new EventLog();

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
        election.addListener(events.listenerFor(id));
        closeables.add(election);
        election.start();
        return election;
    }

    @Test
    void aDeletedLockFileEndsTheTermAndTheHolderCampaignsAgain() throws Exception {
        Election a = candidate("a");
        await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
        long first = a.leadership().orElseThrow().fencingToken();

        // Another process that starts now makes a new file and locks it: the old lock guards nothing.
        Files.delete(directory.resolve(ELECTION + LocalElectionBackend.SUFFIX));
        // Belief ends within LocalElection.STAT_VALIDITY of the last stat; that no other process believes
        // meanwhile is aCandidateOfAnotherProcessOnANewFileBelievesOnlyOnceTheHolderOfTheMovedDirectoryCannot.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !(a.isLeader() && a.leadership().filter(term -> term.fencingToken() == first).isPresent()));
        await().atMost(Duration.ofSeconds(5)).until(() -> events.count("a", EventLog.Kind.REVOKED) == 1);
        await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
        long second = a.leadership().orElseThrow().fencingToken();
        assertThat(second).as("token of the term on the new file").isGreaterThan(first);

        LocalCandidateProcess other = LocalCandidateProcess.start(directory);
        closeables.add(other);
        other.send("start " + ELECTION + " b");
        a.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> other.granted(ELECTION).isPresent());
        assertThat(Long.parseLong(other.granted(ELECTION).orElseThrow()[2])).isGreaterThan(second);
    }

    /**
     * The holder believes for a moment after a {@code stat} found its file in place without
     * another ({@code LocalElection.STAT_VALIDITY}); a candidate of another process that locks a
     * file its last holder did not release waits that moment out. The lock directory is moved
     * away and made again: no file event tells the holder, only its {@code stat}. Five elections,
     * one after the other, each led here and then started in the other process.
     */
    @Test
    void aCandidateOfAnotherProcessOnANewFileBelievesOnlyOnceTheHolderOfTheMovedDirectoryCannot() throws Exception {
        Path locks = directory.resolve("locks");
        Files.createDirectories(locks);
        LocalElectionBackend backend = new LocalElectionBackend(locks);
        closeables.add(backend);
        LocalCandidateProcess other = LocalCandidateProcess.start(locks);
        closeables.add(other);
        other.send("start warm b"); // its code run once, as on the rounds below
        await().atMost(Duration.ofSeconds(10)).until(() -> other.granted("warm").isPresent());
        other.send("close warm");
        for (int round = 0; round < 5; round++) {
            String name = "moved-" + round;
            Election a = backend.election(name, "a");
            closeables.add(a);
            a.start();
            await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
            AtomicLong lastBelief = new AtomicLong(Long.MIN_VALUE);
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    long before = System.nanoTime();
                    if (a.isLeader()) {
                        lastBelief.set(before);
                    }
                    Thread.onSpinWait();
                }
            }, "belief-sampler");
            sampler.start();
            try {
                Files.move(locks, directory.resolve("moved-away-" + round));
                Files.createDirectory(locks);
                other.send("start " + name + " b");
                await().atMost(Duration.ofSeconds(10)).until(() -> other.granted(name).isPresent());
            }
            finally {
                sampling.set(false); // a failed wait must not leave it spinning through the rest of the suite
                sampler.join();
            }
            assertThat(lastBelief.get()).as("round %d: the last moment a believed, against b's grant (System.nanoTime())", round)
                    .isLessThan(Long.parseLong(other.granted(name).orElseThrow()[3]));
        }
    }

    @Test
    void anUnmountedLockDirectoryEndsTheTermAndTheHolderCampaignsAgain() throws Exception {
        Path mounted = directory.resolve("mounted");
        Files.createDirectories(mounted);
        String refused = Shell.run(List.of("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mounted.toString()));
        Assumptions.assumeTrue(refused == null, () -> "cannot mount a tmpfs (needs root): " + refused);
        closeables.add(() -> Shell.run(List.of("umount", "-l", mounted.toString())));
        LocalElectionBackend backend = new LocalElectionBackend(mounted);
        closeables.add(backend);
        Election a = backend.election(ELECTION, "a");
        a.addListener(events.listenerFor("a"));
        closeables.add(a);
        a.start();
        await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
        long first = a.leadership().orElseThrow().fencingToken();

        // Lazily: the descriptor and its lock live on, but the path now names the directory beneath.
        Shell.must(List.of("umount", "-l", mounted.toString()));
        // Belief ends within LocalElection.STAT_VALIDITY of the last stat; that no other process believes
        // meanwhile is aCandidateOfAnotherProcessOnANewFileBelievesOnlyOnceTheHolderOfTheMovedDirectoryCannot.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !(a.isLeader() && a.leadership().filter(term -> term.fencingToken() == first).isPresent()));
        await().atMost(Duration.ofSeconds(5)).until(() -> events.count("a", EventLog.Kind.REVOKED) == 1);
        await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
        assertThat(a.leadership().orElseThrow().fencingToken()).isGreaterThan(first);
        assertThat(mounted.resolve(ELECTION + LocalElectionBackend.SUFFIX)).as("the file a holds now").exists();
    }

    @Test
    void interruptsOfAnotherCandidatesThreadNeverDropTheLeadersLock() throws Exception {
        Election a = candidate("a");
        await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
        // Candidates of one JVM share the file's descriptor. Each start reads the file on the
        // caller's thread; an interrupt during that read must not close the descriptor, since
        // closing it drops the lock a holds.
        LocalElectionBackend other = new LocalElectionBackend(directory);
        closeables.add(other);
        AtomicBoolean done = new AtomicBoolean();
        Thread starter = new Thread(() -> {
            for (int i = 0; i < 3000; i++) {
                Election b = other.election(ELECTION, "b");
                b.start();
                b.close();
            }
            done.set(true);
        }, "starter");
        Thread interrupter = new Thread(() -> {
            while (!done.get()) {
                starter.interrupt();
            }
        }, "interrupter");
        starter.start();
        interrupter.start();
        await().atMost(Duration.ofSeconds(60)).untilTrue(done);
        interrupter.join();
        assertThat(a.isLeader()).as("a still holds the lock").isTrue();
        assertThat(events.count("a", EventLog.Kind.REVOKED)).isZero();
    }
}
