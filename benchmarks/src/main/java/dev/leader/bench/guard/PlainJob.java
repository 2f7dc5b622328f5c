package dev.leader.bench.guard;

import org.springframework.stereotype.Component;

/** The baseline: the same body as {@link GuardedJob}, no guard, no proxy. */
@Component
public class PlainJob {

    private long runs;

    public void run() {
        runs++;
    }

    public long runs() {
        return runs;
    }
}
