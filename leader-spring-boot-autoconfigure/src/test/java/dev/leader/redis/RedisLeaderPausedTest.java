package dev.leader.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;
import dev.leader.testsupport.RedisServer;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;

/**
 * The leader's JVM is stopped (SIGSTOP) for longer than its lease: it must have stopped
 * believing before the successor is granted, and after SIGCONT step down cleanly.
 */
class RedisLeaderPausedTest {

    static final long LEASE_MS = 2_000;

    @Test
    void aLeaderPausedBeyondItsLeaseStopsBelievingBeforeTheSuccessorIsGrantedAndStepsDownAfter() throws Exception {
        try (RedisServer server = RedisServer.start();
                CandidateProcess paused = CandidateProcess.start(server.url(), "paused", "child", LEASE_MS);
                RedisElectionBackend backend = new RedisElectionBackend(RedisURI.create(server.url()),
                        RedisBackendSettings.of(Duration.ofMillis(LEASE_MS)))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> paused.first("GRANTED").isPresent());
            AtomicLong grantedAt = new AtomicLong();
            Election successor = backend.election("paused", "successor");
            successor.addListener(new ElectionListener() {
                @Override
                public void granted(Leadership leadership) {
                    grantedAt.set(System.currentTimeMillis());
                }
            });
            successor.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> successor.leaderId().filter("child"::equals).isPresent());
            // Let a renewal or two happen, so the deadline it reports is a renewed one.
            await().atMost(Duration.ofSeconds(5)).until(() -> paused.count("DEADLINE") >= 2);

            paused.signal("STOP");
            long stoppedAt = System.currentTimeMillis();
            await().atMost(Duration.ofMillis(LEASE_MS + 2_000)).until(successor::isLeader);
            await().pollDelay(Duration.ofMillis(LEASE_MS / 2)).atMost(Duration.ofMillis(LEASE_MS)).until(() -> true);
            paused.signal("CONT");

            System.out.println("paused candidate: " + paused.lines() + ", stopped at " + stoppedAt + ", successor granted at " + grantedAt.get());
            assertThat(grantedAt.get()).as("successor granted after the pause began").isGreaterThan(stoppedAt);
            assertThat(paused.lastDeadline()).as("the paused leader's last belief ended before the successor's grant")
                    .isLessThan(grantedAt.get());
            await().atMost(Duration.ofSeconds(5)).until(() -> paused.first("REVOKED").isPresent());
            assertThat(paused.lines()).anyMatch(l -> l.startsWith("REVOKED LEASE_EXPIRED") || l.startsWith("REVOKED PREEMPTED"));
            assertThat(paused.first("REVOKED").orElseThrow()).as("revoked only after it resumed").isGreaterThan(grantedAt.get());
            await().atMost(Duration.ofSeconds(5)).until(() -> paused.lines().stream().anyMatch(l -> l.startsWith("LEADER successor")));
            await().during(Duration.ofMillis(LEASE_MS)).atMost(Duration.ofMillis(LEASE_MS * 2)).until(successor::isLeader);
            assertThat(paused.count("GRANTED")).isEqualTo(1);
        }
    }
}
