package dev.leader.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.locks.LockSupport;
import dev.leader.election.Backoff;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One election's lock file, shared by every candidate of this JVM.
 *
 * <p>POSIX record locks belong to the process, and closing <em>any</em> descriptor of the file
 * drops them all; Java also refuses a second overlapping lock in one JVM. So each file has one
 * instance per JVM, one channel, and all reads and writes go through it. Candidates of this JVM
 * queue here in order; only the head of the queue waits on the OS lock, in a blocking
 * {@code lock()} on a thread of its own, so the kernel wakes it the moment the holder
 * releases or dies: no polling, no CPU at rest.
 */
final class LockFile {

    private static final Logger log = LoggerFactory.getLogger(LockFile.class);

    private static final ConcurrentMap<Path, LockFile> FILES = new ConcurrentHashMap<>();

    private final Path path;

    private final Object monitor = new Object();

    private final Deque<LocalElection> waiting = new ArrayDeque<>();

    private final Set<LocalElection> members = new CopyOnWriteArraySet<>();

    private final Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(5));

    private @Nullable FileChannel channel;

    private volatile @Nullable FileLock osLock;

    private volatile @Nullable LocalElection holder;

    private @Nullable Thread locker;

    private volatile @Nullable String lastError;

    private LockFile(Path path) {
        this.path = path;
    }

    static LockFile of(Path path) {
        return FILES.computeIfAbsent(path.toAbsolutePath().normalize(), LockFile::new);
    }

    Path path() {
        return path;
    }

    @Nullable String lastError() {
        return lastError;
    }

    /** Queues {@code election} for the lock, behind the candidates of this JVM already waiting. */
    void join(LocalElection election) {
        members.add(election);
        LockFileContent content;
        synchronized (monitor) {
            if (holder == election || waiting.contains(election)) {
                return;
            }
            waiting.addLast(election);
            if (osLock != null && holder == null) {
                handToNext();
            }
            else {
                ensureLocker();
            }
            content = readQuietly();
        }
        if (holder != election && content != null) {
            election.holderSeen(content.holder());
        }
    }

    /** Gives the lock up if {@code election} holds it; it stays a member and may join again. */
    void release(LocalElection election) {
        synchronized (monitor) {
            waiting.remove(election);
            if (holder == election) {
                holder = null;
                writeQuietly(current().released());
                handToNext();
            }
            else if (waiting.isEmpty()) {
                stopLocker();
            }
        }
    }

    /** Releases and forgets {@code election}. */
    void leave(LocalElection election) {
        release(election);
        members.remove(election);
    }

    boolean isHeldBy(LocalElection election) {
        FileLock lock = osLock;
        return holder == election && lock != null && lock.isValid();
    }

    /** The file changed on disk (another process took or released it): tell the followers. */
    void refresh() {
        LockFileContent content;
        synchronized (monitor) {
            if (members.isEmpty()) {
                return;
            }
            content = readQuietly();
        }
        if (content == null) {
            return;
        }
        LocalElection current = holder;
        for (LocalElection member : members) {
            if (member != current) {
                member.holderSeen(content.holder());
            }
        }
    }

    // ---- under the monitor ----

    private void handToNext() {
        LocalElection next = waiting.pollFirst();
        if (next == null) {
            releaseOsLock();
            return;
        }
        LockFileContent granted = current().next(next.candidateId());
        try {
            write(granted);
        }
        catch (IOException ex) {
            // Without a durable token there is no safe term: give the lock back and retry later.
            lastError = "cannot write " + path + ": " + ex;
            log.warn("[election={}, id={}] {}", next.name(), next.candidateId(), lastError);
            waiting.addFirst(next);
            releaseOsLock();
            ensureLocker();
            return;
        }
        lastError = null;
        holder = next;
        next.lockAcquired(granted.fencingToken());
    }

    private LockFileContent current() {
        LockFileContent content = readQuietly();
        return content == null ? LockFileContent.EMPTY : content;
    }

    private void ensureLocker() {
        if (locker != null || osLock != null || waiting.isEmpty()) {
            return;
        }
        Thread thread = new Thread(this::awaitLock, "leader-local-lock-" + path.getFileName());
        thread.setDaemon(true);
        locker = thread;
        thread.start();
    }

    private void stopLocker() {
        if (locker != null && osLock == null && channel != null) {
            // Wakes the blocked lock() with AsynchronousCloseException. Safe: we hold no lock.
            closeChannel();
        }
    }

    private void releaseOsLock() {
        FileLock lock = osLock;
        osLock = null;
        if (lock != null && lock.isValid()) {
            try {
                lock.release();
            }
            catch (IOException ex) {
                // Closing the channel releases it for certain.
                closeChannel();
            }
        }
    }

    private void closeChannel() {
        FileChannel ch = channel;
        channel = null;
        if (ch != null) {
            try {
                ch.close();
            }
            catch (IOException ex) {
                log.debug("closing {} failed", path, ex);
            }
        }
    }

    private FileChannel channel() throws IOException {
        FileChannel ch = channel;
        if (ch == null || !ch.isOpen()) {
            ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            channel = ch;
        }
        return ch;
    }

    private @Nullable LockFileContent readQuietly() {
        try {
            return read();
        }
        catch (IOException ex) {
            lastError = "cannot read " + path + ": " + ex;
            return null;
        }
    }

    private @Nullable LockFileContent read() throws IOException {
        return uninterrupted(() -> {
            FileChannel ch = channel();
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            while (buffer.hasRemaining()) {
                if (ch.read(buffer, buffer.position()) < 0) {
                    break;
                }
            }
            return LockFileContent.parse(buffer.array(), buffer.position());
        });
    }

    private void writeQuietly(LockFileContent content) {
        try {
            write(content);
        }
        catch (IOException ex) {
            lastError = "cannot write " + path + ": " + ex;
            log.warn("{}", lastError);
        }
    }

    private void write(LockFileContent content) throws IOException {
        uninterrupted(() -> {
            FileChannel ch = channel();
            ByteBuffer buffer = ByteBuffer.wrap(content.toBytes());
            int length = buffer.remaining();
            while (buffer.hasRemaining()) {
                ch.write(buffer, buffer.position());
            }
            ch.truncate(length);
            ch.force(false);
            return null;
        });
    }

    // ---- the locker thread ----

    private void awaitLock() {
        while (true) {
            FileChannel ch;
            synchronized (monitor) {
                if (waiting.isEmpty() || osLock != null) {
                    locker = null;
                    return;
                }
                try {
                    ch = channel();
                }
                catch (IOException ex) {
                    lastError = "cannot open " + path + ": " + ex;
                    ch = null;
                }
            }
            if (ch == null) {
                LockSupport.parkNanos(backoff.next().toNanos());
                continue;
            }
            if (lastError != null) {
                LockSupport.parkNanos(backoff.next().toNanos());
            }
            FileLock lock;
            try {
                lock = ch.lock();
            }
            catch (ClosedChannelException ex) {
                continue; // stopLocker() closed it; the loop re-checks whether anyone still waits
            }
            catch (IOException | RuntimeException ex) {
                lastError = "cannot lock " + path + ": " + ex;
                log.warn("{}", lastError);
                LockSupport.parkNanos(backoff.next().toNanos());
                continue;
            }
            synchronized (monitor) {
                Thread.interrupted();
                osLock = lock;
                backoff.reset();
                locker = null;
                handToNext();
                return;
            }
        }
    }

    private interface Io<T> {

        T run() throws IOException;
    }

    /**
     * An interrupted thread would close the channel on its next I/O, and with it every lock this
     * JVM holds on the file. Callers' interrupts are kept out of our I/O and restored after.
     */
    private static <T> T uninterrupted(Io<T> io) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            return io.run();
        }
        finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
