package dev.leader.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * The lines all candidate JVMs of one measurement print, in one queue, and the waits on them.
 * A candidate that exits while it should be alive fails the wait at once, naming its log.
 */
final class Signals {

    private final String backend;

    private final Path logs;

    private final BlockingQueue<CandidateProcess.Signal> queue = new LinkedBlockingQueue<>();

    private final Set<CandidateProcess> alive = new HashSet<>();

    Signals(String backend, Path logs) {
        this.backend = backend;
        this.logs = logs;
    }

    BlockingQueue<CandidateProcess.Signal> queue() {
        return queue;
    }

    /** From now on its exit is expected (it was killed, or is closing). */
    void expectExit(CandidateProcess candidate) {
        alive.remove(candidate);
    }

    void started(CandidateProcess candidate) {
        alive.add(candidate);
    }

    void awaitReady(int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            await(s -> s.kind().equals("READY"), Duration.ofSeconds(60), "READY from " + count + " candidates");
        }
    }

    /** The next GRANTED from a candidate other than {@code previous} (a dead leader, or none). */
    CandidateProcess.Signal awaitGranted(@Nullable CandidateProcess previous, Duration bound) throws InterruptedException {
        return await(s -> s.kind().equals("GRANTED") && s.from() != previous, bound, "a successor's GRANTED");
    }

    CandidateProcess.Signal await(CandidateProcess from, String kind, Duration bound) throws InterruptedException {
        return await(s -> s.from() == from && s.kind().equals(kind), bound, kind + " from " + from);
    }

    /** GRANTED lines that arrived so far and are not waited for: a second leader would show here. */
    List<CandidateProcess.Signal> drainGranted() {
        List<CandidateProcess.Signal> all = new ArrayList<>();
        queue.drainTo(all);
        List<CandidateProcess.Signal> granted = new ArrayList<>();
        for (CandidateProcess.Signal signal : all) {
            if (signal.kind().equals("GRANTED")) {
                granted.add(signal);
            }
            else {
                queue.add(signal);
            }
        }
        return granted;
    }

    private CandidateProcess.Signal await(Predicate<CandidateProcess.Signal> wanted, Duration bound, String description)
            throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        List<CandidateProcess.Signal> others = new ArrayList<>();
        try {
            while (true) {
                CandidateProcess.Signal signal = next(deadline, description);
                if (wanted.test(signal)) {
                    return signal;
                }
                others.add(signal);
            }
        }
        finally {
            // Keep what was not wanted yet: the successor's GRANTED may come before the RELEASED.
            List<CandidateProcess.Signal> rest = new ArrayList<>();
            queue.drainTo(rest);
            queue.addAll(others);
            queue.addAll(rest);
        }
    }

    private CandidateProcess.Signal next(long deadline, String waitingFor) throws InterruptedException {
        long left = deadline - System.nanoTime();
        CandidateProcess.Signal signal = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
        while (signal != null && signal.kind().equals("LEADER")) {
            // Followers' view of the leader is logged by the candidates but not timed here.
            signal = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        if (signal == null) {
            throw new IllegalStateException(backend + ": timed out waiting for " + waitingFor + "; candidate logs in " + logs);
        }
        if (signal.kind().equals("EXITED") && alive.contains(signal.from())) {
            throw new IllegalStateException(backend + ": candidate " + signal.from() + " exited; see " + logs);
        }
        return signal;
    }
}
