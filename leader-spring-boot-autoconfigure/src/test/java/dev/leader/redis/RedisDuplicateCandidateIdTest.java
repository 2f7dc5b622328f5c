package dev.leader.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.leader.election.Election;
import dev.leader.election.EventLog;
import dev.leader.testsupport.RedisServer;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Two instances started with one candidate id (a copied configuration): the lease names the
 * holder's incarnation too, so they are two candidates, not one that takes the lease from
 * itself at every renewal; each warns once about the other.
 */
class RedisDuplicateCandidateIdTest {

    static final Duration LEASE = Duration.ofSeconds(2);

    private final List<AutoCloseable> closeables = new ArrayList<>();

    private final EventLog events = new EventLog();

    private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();

    private final Logger electionLog = (Logger) LoggerFactory.getLogger(RedisElection.class);

    @AfterEach
    void stop() throws Exception {
        electionLog.detachAppender(warnings);
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @Test
    void twoCandidatesWithOneIdNeverTakeTheLeaseFromEachOtherAndTheFollowerWarnsOnce() throws Exception {
        RedisServer server = RedisServer.start();
        closeables.add(server);
        warnings.start();
        electionLog.addAppender(warnings);
        Election first = twin(server, "first");
        await().atMost(Duration.ofSeconds(10)).until(first::isLeader);
        Election second = twin(server, "second");

        // Several renewals of the leader and several wake-ups of the follower.
        await().pollDelay(LEASE.multipliedBy(3)).atMost(LEASE.multipliedBy(4)).until(() -> true);

        assertThat(events.of(EventLog.Kind.GRANTED)).as("one term only; granted: %s",
                events.of(EventLog.Kind.GRANTED).stream().map(e -> e.candidateId() + " " + e.fencingToken()).toList()).hasSize(1);
        assertThat(events.of(EventLog.Kind.REVOKED)).isEmpty();
        assertThat(first.isLeader()).isTrue();
        assertThat(second.isLeader()).isFalse();
        assertThat(second.leaderId()).contains("twin");
        List<String> duplicates = warnings.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("another incarnation")).toList();
        assertThat(duplicates).as("one warning per incarnation seen").hasSize(1);

        // The twin is a candidate like any other: it takes over on a graceful hand-off.
        first.close();
        await().atMost(LEASE).until(second::isLeader);
        assertThat(events.of(EventLog.Kind.GRANTED).get(1).fencingToken())
                .isGreaterThan(events.of(EventLog.Kind.GRANTED).get(0).fencingToken());
    }

    private Election twin(RedisServer server, String label) {
        RedisElectionBackend backend = new RedisElectionBackend(RedisURI.create(server.url()), RedisBackendSettings.of(LEASE));
        closeables.add(backend);
        Election election = backend.election("twins", "twin");
        election.addListener(events.listenerFor(label));
        election.start();
        return election;
    }
}
