package dev.leader.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.time.Duration;

import dev.leader.autoconfigure.BackendType;
import dev.leader.election.ElectionBackend;
import dev.leader.local.LocalElectionBackend;

/** The local file-lock backend: no server, a lock directory per run. */
final class LocalBench implements OurBench {

    @Override
    public BackendType backend() {
        return BackendType.LOCAL;
    }

    @Override
    public BenchServer start(Path workDir) throws IOException {
        Path directory = Files.createDirectories(workDir.resolve("locks"));
        return BenchServer.of(directory.toString(), "no server; POSIX record locks (fcntl) on files in " + directory,
                () -> -1, () -> { });
    }

    @Override
    public ElectionBackend electionBackend(String address, Duration lease) {
        return new LocalElectionBackend(Path.of(address));
    }

    @Override
    public Duration lease(Duration requested) {
        // The kernel drops a dead process's locks at once: there is no lease to wait for.
        return Duration.ZERO;
    }
}
