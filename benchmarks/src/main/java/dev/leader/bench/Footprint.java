package dev.leader.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What a JVM holds at one moment: live threads, live heap after full collections, open sockets. */
record Footprint(int threads, long heapBytes, int sockets) {

    static Footprint now() {
        // Two full collections, so that the heap figure is live data, not garbage.
        System.gc();
        System.gc();
        return new Footprint(ManagementFactory.getThreadMXBean().getThreadCount(),
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), openSockets());
    }

    /** Entries of {@code /proc/self/fd} that link to {@code socket:[inode]} (TCP, UDP and Unix sockets alike). */
    static int openSockets() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.filter(Footprint::isSocket).count();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot list /proc/self/fd", ex);
        }
    }

    private static boolean isSocket(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString().startsWith("socket:");
        }
        catch (IOException ex) {
            // Closed between the listing and the read (the listing's own directory handle, for one).
            return false;
        }
    }

    Footprint minus(Footprint before) {
        return new Footprint(threads - before.threads, heapBytes - before.heapBytes, sockets - before.sockets);
    }
}
