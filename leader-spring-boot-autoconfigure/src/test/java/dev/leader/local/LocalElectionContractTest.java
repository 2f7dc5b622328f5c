package dev.leader.local;

import java.nio.file.Path;
import java.time.Duration;
import dev.leader.election.ElectionBackend;
import dev.leader.election.ElectionContractTest;
import org.junit.jupiter.api.io.TempDir;

class LocalElectionContractTest extends ElectionContractTest {

    @TempDir
    Path directory;

    @Override
    protected ElectionBackend newBackend() {
        return new LocalElectionBackend(directory);
    }

    @Override
    protected Duration lease() {
        return Duration.ofSeconds(1);
    }
}
