package dev.leader.bench.shedlock;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

/** The same one-line body as the {@code @LeaderOnly} benchmark's job, under ShedLock. */
public class LockedJob {

    static final String LOCK = "bench-shedlock";

    private long runs;

    @SchedulerLock(name = LOCK, lockAtMostFor = "PT30S")
    public void run() {
        runs++;
    }

    public long runs() {
        return runs;
    }
}
