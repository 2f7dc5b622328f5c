package dev.leader.local;

import java.time.Duration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import dev.leader.election.BackendStatus;
import dev.leader.election.DaemonThreads;
import dev.leader.election.Election;
import dev.leader.election.ElectionBackend;
import dev.leader.election.InvalidSettingException;
import dev.leader.election.LeaseDeadline;
import dev.leader.election.OpenElections;
import org.jspecify.annotations.Nullable;

/**
 * Elects among the processes of one host through OS file locks in one directory: one file
 * {@code <election>.lock} per election holding the last fencing token and the holder's id.
 */
public final class LocalElectionBackend implements ElectionBackend {

    /** {@code ${java.io.tmpdir}/leader}: shared by every process of the host that uses the default. */
    public static final Path DEFAULT_DIRECTORY = Path.of(System.getProperty("java.io.tmpdir"), "leader");

    static final String SUFFIX = ".lock";

    private final Path directory;

    private final OpenElections<LocalElection> elections = new OpenElections<>();

    private final ScheduledExecutorService scheduler;

    // Both guarded by this: the watch starts on the backend's thread, a close comes from any.
    private @Nullable LockDirectoryWatch watch;

    private boolean closed;

    /**
     * @param directory where the lock files live ({@code leader.local.directory}); created if missing
     * @throws InvalidSettingException if the directory cannot be created or written
     */
    public LocalElectionBackend(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.directory);
        }
        catch (IOException ex) {
            throw unusable(ex.toString());
        }
        if (!Files.isWritable(this.directory)) {
            throw unusable("it is not writable");
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.single("leader-local"));
        // On the backend's thread: the caller (at start-up, the main thread) does not wait for the
        // file system's watch and the thread it starts.
        this.scheduler.execute(this::startWatch);
    }

    private InvalidSettingException unusable(String why) {
        return new InvalidSettingException("leader.local.directory", directory,
                "a directory this process can create and write (" + directory + ": " + why + ")");
    }

    private void startWatch() {
        LockDirectoryWatch started;
        try {
            started = new LockDirectoryWatch(directory);
        }
        catch (IOException | UnsupportedOperationException ex) {
            // Leadership still works; only followers' view of who leads is not kept current.
            return;
        }
        synchronized (this) {
            if (closed) {
                started.close();
                return;
            }
            watch = started;
        }
        // A lock file an election opened before the watch was on may have changed unseen.
        LockFile.refreshAll(directory);
    }

    public Path directory() {
        return directory;
    }

    @Override
    public String type() {
        return "local";
    }

    @Override
    public Election election(String name, String candidateId) {
        return elections.open(name, () -> new LocalElection(name, candidateId, LockFile.of(directory.resolve(name + SUFFIX)), scheduler));
    }

    /** An OS file lock is held as long as its process lives: no lease to run out. */
    @Override
    public Duration lease() {
        return LeaseDeadline.UNBOUNDED;
    }

    @Override
    public BackendStatus status() {
        String lastError = null;
        for (LocalElection election : elections) {
            String error = LockFile.of(directory.resolve(election.name() + SUFFIX)).lastError();
            if (error != null) {
                lastError = error;
            }
        }
        return BackendStatus.up(null, lastError);
    }

    @Override
    public void close() {
        elections.closeAll();
        LockDirectoryWatch started;
        synchronized (this) {
            closed = true;
            started = watch;
        }
        if (started != null) {
            started.close();
        }
        scheduler.shutdownNow();
    }
}
