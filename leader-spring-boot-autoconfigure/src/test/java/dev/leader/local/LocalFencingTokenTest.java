package dev.leader.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import dev.leader.election.Election;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fencing token only grows, whatever became of the lock file between two terms. The next
 * candidate is a new process, which opens the file afresh as any other application would.
 */
class LocalFencingTokenTest {

    private static final String ELECTION = "tokens";

    @TempDir
    Path directory;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    enum Damage {
        /** Bytes that are no record at all (another tool, a disk error). */
        GARBLED,
        /** Emptied, as {@code > file} or a crash of a careless writer leaves it. */
        TRUNCATED,
        /** Deleted: the next candidate makes a new file. */
        DELETED,
        /** A valid record of an earlier term put back (a backup restored, a copied directory). */
        EARLIER_RECORD_RESTORED
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void theNextTermsTokenIsLargerWhateverHappenedToTheFile(Damage damage) throws Exception {
        Path file = directory.resolve(ELECTION + LocalElectionBackend.SUFFIX);
        LocalElectionBackend backend = new LocalElectionBackend(directory);
        closeables.add(backend);
        long last = 0;
        byte[] earlier = null;
        for (int term = 0; term < 3; term++) {
            Election a = backend.election(ELECTION, "a");
            a.start();
            await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
            last = a.leadership().orElseThrow().fencingToken();
            a.close();
            if (earlier == null) {
                earlier = Files.readAllBytes(file);
            }
        }

        switch (damage) {
            case GARBLED -> Files.write(file, "\0\0\0 not a lock record \u00ff".getBytes(StandardCharsets.UTF_8));
            case TRUNCATED -> Files.write(file, new byte[0]);
            case DELETED -> Files.delete(file);
            case EARLIER_RECORD_RESTORED -> Files.write(file, earlier);
        }

        LocalCandidateProcess next = LocalCandidateProcess.start(directory);
        closeables.add(next);
        next.send("start " + ELECTION + " b");
        await().atMost(Duration.ofSeconds(10)).until(() -> next.granted(ELECTION).isPresent());
        long token = Long.parseLong(next.granted(ELECTION).orElseThrow()[2]);
        assertThat(token).as("token of the term after the file was " + damage).isGreaterThan(last);
    }
}
