package dev.leader.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import dev.leader.election.Leadership;
import org.junit.jupiter.api.Test;

class LeaderContextTests {

    private final Leadership outer = new Leadership("jobs", "a", 1, Instant.now());

    private final Leadership inner = new Leadership("reports", "a", 7, Instant.now());

    @Test
    void scopesNestAndClosingOneRestoresTheTermBeforeIt() {
        assertThat(LeaderContext.current()).isEmpty();
        try (LeaderContext.Scope first = LeaderContext.open(outer)) {
            assertThat(LeaderContext.current()).contains(outer);
            try (LeaderContext.Scope second = LeaderContext.open(inner)) {
                assertThat(LeaderContext.current()).contains(inner);
            }
            assertThat(LeaderContext.current()).contains(outer);
        }
        assertThat(LeaderContext.current()).isEmpty();
    }

    @Test
    void theOutermostScopeOfOneThreadLeavesAnotherThreadsTermAlone() throws Exception {
        try (LeaderContext.Scope mine = LeaderContext.open(outer)) {
            CompletableFuture<Optional<Leadership>> afterTheirs = CompletableFuture.supplyAsync(() -> {
                try (LeaderContext.Scope theirs = LeaderContext.open(inner)) {
                    // the other thread's own term, closed before the answer
                }
                return LeaderContext.current();
            }, runnable -> new Thread(runnable, "other").start());
            assertThat(afterTheirs.get(5, TimeUnit.SECONDS)).as("the other thread's context after its scope").isEmpty();
            assertThat(LeaderContext.current()).contains(outer);
        }
        assertThat(LeaderContext.current()).isEmpty();
    }
}
