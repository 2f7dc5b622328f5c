package dev.leader.local;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import dev.leader.election.DaemonThreads;

/**
 * Bounds the threads this JVM blocks in the kernel waiting for lock files. The first
 * {@link #THREADS} lock files that wait get a locker thread each, woken by the kernel the
 * moment the lock is free. The others are polled: tried once when their file changes (a holder
 * writes its release before unlocking, so a graceful hand-off still takes milliseconds) and
 * again shortly after, then once every {@link LockRetry#MAX} (a crashed holder writes nothing).
 * A polled file gets a locker thread as soon as one is free. One daemon thread of the JVM does
 * the polling, whatever the number of elections and backends, started when a file is first polled.
 */
final class LockWaiters {

    /** Lock files that wait in the kernel at once, each on a thread of its own. */
    static final int THREADS = 16;

    /** After a file changed: tries this long after it, since the holder unlocks after writing and syncing its release. */
    private static final long[] AFTER_CHANGE_MILLIS = { 0, 2, 5, 10, 20, 40, 80, 160, 320 };

    private static final Semaphore threads = new Semaphore(THREADS);

    private static final Set<LockFile> polled = ConcurrentHashMap.newKeySet();

    private LockWaiters() {
    }

    /** The polling thread, started when the class is first used: when a file is first polled. */
    private static final class Poller {

        static final ScheduledExecutorService executor = start();

        private static ScheduledExecutorService start() {
            ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(DaemonThreads.single("leader-local-poll"));
            long period = LockRetry.MAX.toNanos();
            poller.scheduleWithFixedDelay(() -> polled.forEach(LockFile::pollLock), period, period, TimeUnit.NANOSECONDS);
            return poller;
        }
    }

    /** Takes one of the threads that may block in the kernel; false when all are taken. */
    static boolean takeThread() {
        return threads.tryAcquire();
    }

    static void returnThread() {
        threads.release();
    }

    /**
     * {@code file} waits without a thread of its own: it is polled until it calls
     * {@link #stopPolling}. Called, like that, under the file's monitor.
     */
    static void poll(LockFile file) {
        if (polled.add(file)) {
            Poller.executor.execute(file::pollLock);
        }
    }

    static void stopPolling(LockFile file) {
        polled.remove(file);
    }

    /** {@code file} changed on disk: if polled, it tries at once and a few times shortly after. */
    static void changed(LockFile file) {
        if (polled.contains(file)) {
            for (long millis : AFTER_CHANGE_MILLIS) {
                Poller.executor.schedule(file::pollLock, millis, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Whether {@code file} waits without a thread; for tests. */
    static boolean isPolled(LockFile file) {
        return polled.contains(file);
    }
}
