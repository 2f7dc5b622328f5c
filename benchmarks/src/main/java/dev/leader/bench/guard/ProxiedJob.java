package dev.leader.bench.guard;

import org.springframework.stereotype.Component;

/**
 * The floor under any Spring AOP guard: the same body behind a CGLIB proxy whose only
 * interceptor proceeds. {@code @LeaderOnly} minus this is what the guard itself costs.
 */
@Component
public class ProxiedJob {

    private long runs;

    @Proxied
    public void run() {
        runs++;
    }

    public long runs() {
        return runs;
    }
}
