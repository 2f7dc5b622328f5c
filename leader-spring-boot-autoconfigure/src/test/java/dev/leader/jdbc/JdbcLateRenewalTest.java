package dev.leader.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.leader.election.Election;
import dev.leader.testsupport.PostgresServer;
import dev.leader.testsupport.Shell;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A renewal whose answer comes later than the renew interval, but while the term still holds (a
 * loaded host, a database that stalls): the leader keeps its term and its connection. The
 * PostgreSQL process serving the backend's statements is stopped, and so is the postmaster, so
 * that a connection given up cannot be replaced until after the term's deadline: only waiting
 * for the late answer keeps the term.
 */
class JdbcLateRenewalTest {

    static final Duration LEASE = Duration.ofSeconds(4);

    static final Duration RENEW_INTERVAL = Duration.ofMillis(500);

    /**
     * How long the statements' server process stays stopped. A renewal is in flight through all
     * of it (one is sent every renew interval); the one answered when it resumes was sent at
     * most a renew interval after the last confirmed one, whose deadline is then still at least
     * lease - margin - stop = 500 ms ahead, and at most 1,000 ms: under a third of the belief,
     * when a renewal counts as late.
     */
    static final Duration STATEMENTS_STOPPED = Duration.ofMillis(2_600);

    /** The postmaster stays stopped until after the deadline of the last renewal sent before the stop. */
    static final Duration POSTMASTER_STOPPED = Duration.ofMillis(4_000);

    @Test
    void aRenewalAnsweredAfterTheRenewIntervalButBeforeTheDeadlineKeepsTheTermItsConnectionAndIsLoggedAsLate()
            throws Exception {
        ListAppender<ILoggingEvent> warnings = new ListAppender<>();
        Logger electionLog = (Logger) LoggerFactory.getLogger(JdbcElection.class);
        warnings.start();
        electionLog.addAppender(warnings);
        JdbcBackendSettings settings = JdbcBackendSettings.builder().lease(LEASE).renewInterval(RENEW_INTERVAL)
                .schemaInitialization(SchemaInitialization.ALWAYS).build();
        try (PostgresServer server = PostgresServer.start(); Beliefs beliefs = new Beliefs();
                JdbcElectionBackend backend = new JdbcElectionBackend(DataSources.postgres(server), settings)) {
            Election leader = beliefs.watch(backend.election("late", "a"));
            leader.start();
            await().atMost(Duration.ofSeconds(30)).until(leader::isLeader);
            String statements = await().atMost(Duration.ofSeconds(10)).until(() -> statementsBackend(server), pid -> !pid.isEmpty());

            String postmaster = Long.toString(server.pid());
            signal("STOP", postmaster);
            signal("STOP", statements);
            try {
                await().pollDelay(STATEMENTS_STOPPED).atMost(STATEMENTS_STOPPED.plusSeconds(1)).until(() -> true);
                signal("CONT", statements);
                await().pollDelay(POSTMASTER_STOPPED.minus(STATEMENTS_STOPPED)).atMost(POSTMASTER_STOPPED).until(() -> true);
            }
            finally {
                signal("CONT", postmaster);
                Shell.run(List.of("kill", "-CONT", statements)); // it exits if the connection was dropped
            }
            // Several renewals after the stop, on the connection it had.
            await().pollDelay(RENEW_INTERVAL.multipliedBy(3)).atMost(LEASE).until(() -> true);

            assertThat(beliefs.revocations()).as("terms ended").isEmpty();
            assertThat(beliefs.tokens()).as("tokens granted").hasSize(1);
            assertThat(leader.isLeader()).isTrue();
            assertThat(statementsBackend(server)).as("the statements connection's server process").isEqualTo(statements);
            assertThat(warnings.list).filteredOn(event -> event.getLevel() == Level.WARN)
                    .extracting(ILoggingEvent::getFormattedMessage).anyMatch(message -> message.contains("renewal came late"));
        }
        finally {
            electionLog.detachAppender(warnings);
        }
    }

    /** The server process of the backend's statement connection (the one not listening), or "". */
    private static String statementsBackend(PostgresServer server) throws Exception {
        return server.psql("SELECT pid FROM pg_stat_activity WHERE application_name = 'leader-election'"
                + " AND query NOT LIKE 'LISTEN%' AND pid <> pg_backend_pid()");
    }

    private static void signal(String signal, String pid) throws Exception {
        Shell.must(List.of("kill", "-" + signal, pid));
    }
}
