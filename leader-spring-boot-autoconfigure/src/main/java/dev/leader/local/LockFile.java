package dev.leader.local;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArraySet;
import dev.leader.election.AbstractElection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One election's lock file, shared by every candidate of this JVM.
 *
 * <p>POSIX record locks belong to the process, and closing <em>any</em> descriptor of the file
 * drops them all; Java also refuses a second overlapping lock in one JVM. So each file has one
 * instance per JVM, one descriptor, and all reads and writes go through it. Candidates of this
 * JVM queue here in order; only the head of the queue waits on the OS lock, in a blocking
 * {@code lock()} on a thread of its own, so the kernel wakes it the moment the holder
 * releases or dies: no polling, no CPU at rest. When the kernel refuses that wait (see
 * {@link #awaitLock()}), it is retried when the file changes or a lock of this JVM is released,
 * and at the latest after {@link LockRetry#MAX}.
 */
final class LockFile {

    private static final Logger log = LoggerFactory.getLogger(LockFile.class);

    private static final ConcurrentMap<Path, LockFile> FILES = new ConcurrentHashMap<>();

    private final Path path;

    private final Object monitor = new Object();

    private final Deque<LocalElection> waiting = new ArrayDeque<>();

    private final Set<LocalElection> members = new CopyOnWriteArraySet<>();

    private final LockRetry retry = new LockRetry();

    private volatile @Nullable OpenLockFile open;

    private volatile @Nullable FileLock osLock;

    private volatile @Nullable LocalElection holder;

    private volatile @Nullable Thread locker;

    private volatile @Nullable String lastError;

    // Guarded by monitor.
    private long heldToken;

    /** The largest token this JVM read or wrote here: a floor for the next, whatever the file says. */
    private long highestToken;

    /** The last hand-off failed on I/O: the locker waits before locking again. */
    private boolean retryBeforeLocking;

    private LockFile(Path path) {
        this.path = path;
    }

    static LockFile of(Path path) {
        return FILES.computeIfAbsent(path.toAbsolutePath().normalize(), LockFile::new);
    }

    /** Refreshes every lock file of {@code directory} this JVM knows. */
    static void refreshAll(Path directory) {
        for (LockFile file : FILES.values()) {
            if (directory.equals(file.path.getParent())) {
                file.refresh();
            }
        }
    }

    @Nullable String lastError() {
        return lastError;
    }

    /**
     * Queues {@code election} for the lock, behind the candidates of this JVM already waiting,
     * if it still campaigns. Checked under the monitor, which {@link #release} takes too: a
     * withdrawal ends the campaign before it releases, so a join that was on its way (a rejoin
     * after a yield) either comes before the release, which then takes it back out, or sees the
     * campaign over. Checked before, a withdrawn candidate could queue after its release and keep
     * the lock from everyone else (and a closed one become a member again).
     */
    void join(LocalElection election) {
        LockFileContent content;
        synchronized (monitor) {
            if (!election.campaigning()) {
                return;
            }
            members.add(election);
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
        boolean released = false;
        synchronized (monitor) {
            waiting.remove(election);
            if (holder == election) {
                released = true;
                if (isHeldBy(election)) {
                    writeQuietly(new LockFileContent(heldToken, null));
                }
                holder = null;
                handToNext();
            }
            else if (waiting.isEmpty()) {
                stopLocker();
            }
        }
        if (released) {
            // A lock this JVM held may be what another process's refused wait was waiting for.
            FILES.values().forEach(file -> file.retry.nudge(file.locker));
        }
    }

    /** Releases and forgets {@code election}. */
    void leave(LocalElection election) {
        release(election);
        members.remove(election);
    }

    /**
     * Whether {@code election} holds the OS lock, on the file the path still names: a lock on
     * a deleted or replaced file guards nothing. One {@code stat}.
     */
    boolean isHeldBy(LocalElection election) {
        return holder == election && isLockValid();
    }

    /** Whether {@code election} holds the OS lock, without asking which file the path names. */
    boolean holdsLock(LocalElection election) {
        return holder == election && isOsLockValid();
    }

    /**
     * Grants the term of {@code token} once its wait for an unreleased last holder is over, if
     * {@code election} still holds that term's lock; a lock lost meanwhile is verified.
     */
    void grantHeld(LocalElection election, long token) {
        synchronized (monitor) {
            if (holder != election || heldToken != token) {
                return;
            }
            if (isHeldBy(election)) {
                election.lockAcquired(token, false);
            }
            else {
                verify(election);
            }
        }
    }

    private boolean isLockValid() {
        OpenLockFile file = open;
        return isOsLockValid() && file != null && file.isAt(path);
    }

    private boolean isOsLockValid() {
        FileLock lock = osLock;
        return lock != null && lock.isValid();
    }

    /**
     * Ends the hold of {@code election} if its OS lock is gone (file deleted or replaced,
     * directory unmounted, descriptor closed): its term is revoked and it queues again.
     */
    void verify(LocalElection election) {
        synchronized (monitor) {
            if (holder != election || isHeldBy(election)) {
                return;
            }
            holder = null;
            osLock = null;
            lastError = "lost the lock on " + path + ": the file was deleted or replaced, or its descriptor closed";
            log.warn("{} {}", AbstractElection.logPrefix(election.name(), election.candidateId()), lastError);
            // Drops our lock on the old file, so a process waiting on it wakes and finds the new one.
            closeOpen();
            election.lockLost();
            ensureLocker();
        }
    }

    /** The file changed on disk (written, created, deleted): check the holder, tell the followers. */
    void refresh() {
        LockFileContent content;
        synchronized (monitor) {
            LocalElection current = holder;
            if (current != null) {
                verify(current);
            }
            else if (locker != null) {
                OpenLockFile file = open;
                if (file != null && !file.isAt(path)) {
                    closeOpen(); // the locker waits on a file that is gone: it opens the new one
                }
            }
            if (members.isEmpty()) {
                return;
            }
            content = readQuietly();
        }
        retry.nudge(locker);
        LockWaiters.changed(this);
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
        OpenLockFile file = open;
        if (file == null || !isLockValid()) {
            // Lost while held (see verify): the next waits for the lock of the file the path names now.
            osLock = null;
            closeOpen();
            ensureLocker();
            return;
        }
        LocalElection next = waiting.pollFirst();
        if (next == null) {
            releaseOsLock();
            return;
        }
        next.handoffStep("lock: ours, writing the next token");
        LockFileContent granted;
        boolean unreleased;
        try {
            // A token read wrongly could go back: without the stored one there is no next one.
            LockFileContent stored = file.read();
            unreleased = stored == null || stored.holder() != null;
            granted = LockFileContent.nextTerm(stored, highestToken + 1, next.candidateId());
            file.write(granted); // durable before anyone acts on the token
        }
        catch (IOException | ArithmeticException ex) {
            failed("cannot hand " + path + " on: " + ex, next);
            waiting.addFirst(next);
            retryBeforeLocking = true;
            releaseOsLock();
            ensureLocker();
            return;
        }
        lastError = null;
        highestToken = granted.fencingToken();
        heldToken = granted.fencingToken();
        holder = next;
        next.lockAcquired(granted.fencingToken(), unreleased);
    }

    private OpenLockFile requireOpen() throws IOException {
        OpenLockFile file = open;
        if (file == null || !file.isOpen()) {
            file = OpenLockFile.open(path);
            open = file;
        }
        return file;
    }

    /** Starts waiting for the OS lock: on a locker thread if one of {@link LockWaiters} is free, else polled. */
    private void ensureLocker() {
        if (locker != null || osLock != null || waiting.isEmpty()) {
            return;
        }
        if (!LockWaiters.takeThread()) {
            LockWaiters.poll(this);
            return;
        }
        LockWaiters.stopPolling(this);
        Thread thread = new Thread(() -> {
            try {
                awaitLock();
            }
            finally {
                LockWaiters.returnThread();
            }
        }, "leader-local-lock-" + path.getFileName());
        thread.setDaemon(true);
        locker = thread;
        thread.start();
    }

    /**
     * For a file waiting without a locker thread (see {@link LockWaiters}): takes the OS lock if it
     * is free, or a locker thread if one became free; stops being polled once it waits no more.
     */
    void pollLock() {
        synchronized (monitor) {
            if (waiting.isEmpty() || osLock != null || locker != null) {
                LockWaiters.stopPolling(this);
                return;
            }
            if (retryBeforeLocking) {
                retryBeforeLocking = false; // the last hand-off failed: this poll is the pause
                return;
            }
            try {
                OpenLockFile file = requireOpen();
                FileLock lock = file.tryLock();
                if (lock == null) {
                    ensureLocker();
                    return;
                }
                if (!file.isAt(path)) {
                    // Deleted or replaced: the lock guards nothing; the next poll opens the new file.
                    closeOpen();
                    return;
                }
                LockWaiters.stopPolling(this);
                osLock = lock;
                retry.succeeded();
                handToNext();
            }
            catch (IOException ex) {
                lastError = "cannot lock " + path + ": " + ex;
            }
        }
    }

    private void stopLocker() {
        if (locker != null && osLock == null) {
            // Wakes the blocked lock() with AsynchronousCloseException. Safe: we hold no lock.
            closeOpen();
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
                // Closing the descriptor releases it for certain.
                closeOpen();
            }
        }
    }

    private void closeOpen() {
        OpenLockFile file = open;
        open = null;
        if (file != null) {
            try {
                file.close();
            }
            catch (IOException ex) {
                log.debug("closing {} failed", path, ex);
            }
        }
    }

    private @Nullable LockFileContent readQuietly() {
        try {
            return requireOpen().read();
        }
        catch (IOException ex) {
            lastError = "cannot read " + path + ": " + ex;
            return null;
        }
    }

    private void writeQuietly(LockFileContent content) {
        try {
            requireOpen().write(content);
        }
        catch (IOException ex) {
            lastError = "cannot write " + path + ": " + ex;
            log.warn("{}", lastError);
        }
    }

    private void failed(String error, LocalElection next) {
        if (!error.equals(lastError)) {
            log.warn("{} {}; retrying", AbstractElection.logPrefix(next.name(), next.candidateId()), error);
        }
        lastError = error;
    }

    // ---- the locker thread ----

    /**
     * Waits in the kernel for the lock. The kernel refuses the wait with {@code EDEADLK} when it
     * would close a cycle of waits between processes: two applications that each lead one of two
     * elections and wait for the other's. No wake-up comes after a refusal, so the wait is tried
     * again when this file changes (the holder writes its release before unlocking), when this
     * JVM releases a lock (which may break the cycle), and at the latest after {@link LockRetry#MAX}
     * (a crashed holder writes nothing). See the package documentation for why not other locks.
     */
    private void awaitLock() {
        boolean refused = false;
        while (true) {
            boolean pause;
            synchronized (monitor) {
                if (waiting.isEmpty() || osLock != null) {
                    locker = null;
                    return;
                }
                pause = refused || retryBeforeLocking;
                retryBeforeLocking = false;
            }
            if (pause) {
                retry.pause();
            }
            OpenLockFile file;
            synchronized (monitor) {
                if (waiting.isEmpty() || osLock != null) {
                    locker = null;
                    return;
                }
                try {
                    file = requireOpen();
                }
                catch (IOException ex) {
                    lastError = "cannot open " + path + ": " + ex;
                    refused = true;
                    continue;
                }
            }
            FileLock lock;
            try {
                lock = file.lock();
            }
            catch (ClosedChannelException ex) {
                refused = false;
                continue; // closed by stopLocker() or refresh(): the loop looks again
            }
            catch (IOException | RuntimeException ex) {
                String error = "cannot wait for the lock of " + path + ": " + ex;
                if (!refused) {
                    log.warn("{}; trying again when the file changes, or within {} ms", error, LockRetry.MAX.toMillis());
                }
                lastError = error;
                refused = true;
                continue;
            }
            synchronized (monitor) {
                Thread.interrupted();
                if (!file.isAt(path)) {
                    // Deleted or replaced while we waited: the lock guards nothing; open the new file.
                    closeOpen();
                    refused = false;
                    continue;
                }
                osLock = lock;
                retry.succeeded();
                locker = null;
                handToNext();
                return;
            }
        }
    }
}
