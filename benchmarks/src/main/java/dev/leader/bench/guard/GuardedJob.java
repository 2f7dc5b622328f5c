package dev.leader.bench.guard;

import org.springframework.stereotype.Component;

import dev.leader.spring.LeaderOnly;

/** The method under the guard; the same body as {@link PlainJob}. */
@Component
public class GuardedJob {

    private long runs;

    @LeaderOnly
    public void run() {
        runs++;
    }

    public long runs() {
        return runs;
    }
}
