package dev.leader.election;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The library's threads: daemons (an election never keeps a JVM alive), named after what
 * they do so that a thread dump tells which election or backend they serve.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** Threads named {@code prefix-1}, {@code prefix-2}, … */
    public static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> start(task, prefix + "-" + count.incrementAndGet());
    }

    /** One thread named exactly {@code name}, for a factory that makes a single thread. */
    public static ThreadFactory single(String name) {
        return task -> start(task, name);
    }

    private static Thread start(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
