package dev.leader.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;
import dev.leader.testsupport.LoopbackProxy;
import dev.leader.testsupport.MariaDbServer;
import dev.leader.testsupport.PostgresServer;
import dev.leader.testsupport.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The database server's wall clock jumps (libfaketime under the server process, the clients'
 * clocks untouched). Nothing the election decides may depend on it: a healthy leader keeps its
 * term, a candidate arriving right after a forward jump is not granted while the leader still
 * believes, a follower takes over a crashed leader about a lease after its last renewal even
 * when a renewal made while the clock was ahead left an expiry hours in the future, and the
 * current term's fenced writes are accepted (issue #19).
 */
class JdbcDatabaseClockJumpTest {

    static final Duration LEASE = Duration.ofSeconds(2);

    static final String AHEAD = "+7200";

    static final Path LIBFAKETIME = Path.of("/usr/lib/x86_64-linux-gnu/faketime");

    enum Database {
        POSTGRESQL, MARIADB
    }

    private static Path offsetFile;

    private static PostgresServer postgres;

    private static MariaDbServer mariaDb;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    private final String election = "clock-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void startServersUnderFaketime() throws IOException {
        offsetFile = Files.createTempFile("leader-faketime", ".offset");
        // The servers run as other users (PostgreSQL as postgres): the offset must be readable by all.
        Files.setPosixFilePermissions(offsetFile, PosixFilePermissions.fromString("rw-r--r--"));
        setOffset("+0");
        postgres = PostgresServer.start(faketime("libfaketime.so.1"));
        mariaDb = MariaDbServer.start(faketime("libfaketimeMT.so.1"));
    }

    private static Map<String, String> faketime(String library) {
        return Map.of("LD_PRELOAD", LIBFAKETIME.resolve(library).toString(), "FAKETIME_TIMESTAMP_FILE", offsetFile.toString(),
                "FAKETIME_CACHE_DURATION", "1", "FAKETIME_DONT_FAKE_MONOTONIC", "1", "FAKETIME_FORCE_MONOTONIC_FIX", "0");
    }

    @AfterAll
    static void stopServers() throws IOException {
        for (ServerProcess server : new ServerProcess[] { postgres, mariaDb }) {
            if (server != null) {
                long pid = server.isRunning() ? server.pid() : -1;
                server.close();
                // libfaketime's semaphore and shared memory, named after the server's process, outlive a kill -9.
                Files.deleteIfExists(Path.of("/dev/shm/sem.faketime_sem_" + pid));
                Files.deleteIfExists(Path.of("/dev/shm/faketime_shm_" + pid));
            }
        }
        Files.deleteIfExists(offsetFile);
    }

    /** The clock of both servers as it should be, in the one process of MariaDB too (it caches the offset up to 2 s). */
    @BeforeEach
    void resetTheClock() throws Exception {
        setOffset("+0");
        for (Database database : Database.values()) {
            jump(database, "+0");
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void aHealthyLeaderKeepsItsTermWhenTheDatabaseClockJumpsForwardAndBack(Database database) throws Exception {
        Beliefs beliefs = closing(new Beliefs());
        Election a = beliefs.watch(backend(database, port(database), LEASE).election(election, "a"));
        a.start();
        await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
        Election b = beliefs.watch(backend(database, port(database), LEASE).election(election, "b"));
        b.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> b.leaderId().filter("a"::equals).isPresent());
        long token = a.leadership().orElseThrow().fencingToken();

        jump(database, AHEAD);
        // A statement at the jumped time wrote the row: the jump reached the election's connections.
        await().atMost(Duration.ofSeconds(10)).until(() -> expirySecondsAhead(database) > 3600);
        await().during(LEASE.multipliedBy(2)).atMost(LEASE.multipliedBy(3)).untilAsserted(() -> keeps(beliefs, a, token));

        jump(database, "+0");
        await().atMost(Duration.ofSeconds(10)).until(() -> expirySecondsAhead(database) < 60);
        await().during(LEASE.multipliedBy(2)).atMost(LEASE.multipliedBy(3)).untilAsserted(() -> keeps(beliefs, a, token));
        assertThat(b.isLeader()).isFalse();
        assertThat(beliefs.overlaps()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void aCandidateArrivingRightAfterAForwardJumpIsNotGrantedWhileTheLeaderBelieves(Database database) throws Exception {
        // A long renew interval: the leader's next renewal comes well after the newcomer's attempt.
        Duration lease = Duration.ofSeconds(6);
        Beliefs beliefs = closing(new Beliefs());
        Election a = beliefs.watch(backend(database, port(database), lease).election(election, "a"));
        a.start();
        await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
        long token = a.leadership().orElseThrow().fencingToken();

        jump(database, AHEAD);
        Election c = beliefs.watch(backend(database, port(database), lease).election(election, "c"));
        c.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> c.leaderId().isPresent());
        await().during(lease).atMost(lease.multipliedBy(2))
                .untilAsserted(() -> assertThat(beliefs.overlaps()).as("moments a and c both believed").isEmpty());
        keeps(beliefs, a, token);
        assertThat(c.isLeader()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void aCrashedLeaderIsTakenOverAboutALeaseLaterThoughItsLastRenewalWasWhileTheDatabaseClockWasAhead(Database database)
            throws Exception {
        Beliefs beliefs = closing(new Beliefs());
        LoopbackProxy toA = closing(LoopbackProxy.to(port(database)));
        LoopbackProxy toB = closing(LoopbackProxy.to(port(database)));
        Election a = beliefs.watch(backend(database, toA.port(), LEASE).election(election, "a"));
        AtomicLong grantedToA = lastGrantTime(a);
        a.start();
        await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
        Election b = beliefs.watch(backend(database, toB.port(), LEASE).election(election, "b"));
        AtomicLong grantedToB = lastGrantTime(b);
        b.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> b.leaderId().filter("a"::equals).isPresent());

        jump(database, AHEAD);
        await().atMost(Duration.ofSeconds(10)).until(() -> expirySecondsAhead(database) > 3600);
        // Whoever leads now renewed at the jumped time; it crashes (cut off: no byte, no FIN), and the clock returns.
        await().atMost(Duration.ofSeconds(10)).until(() -> a.isLeader() || b.isLeader());
        boolean aLed = a.isLeader();
        Election crashed = aLed ? a : b;
        Election follower = aLed ? b : a;
        (aLed ? toA : toB).cut();
        long cutAt = System.nanoTime();
        jump(database, "+0");

        await().atMost(LEASE.multipliedBy(4)).untilAsserted(() -> assertThat(follower.isLeader())
                .as("%s leads, %s s after the crash", follower.candidateId(), Duration.ofNanos(System.nanoTime() - cutAt).toSeconds())
                .isTrue());
        long grantedAt = (aLed ? grantedToB : grantedToA).get();
        assertThat(grantedAt).as("the takeover came after the crashed leader's last belief")
                .isGreaterThan(beliefs.lastBelief(crashed.candidateId()));
        // A lease after the last version the follower saw: on MariaDB, whose followers read once a lease and
        // are not woken by the named lock of a session that lingers, up to two leases after the cut.
        assertThat(Duration.ofNanos(grantedAt - cutAt)).as("takeover after the crash").isLessThan(LEASE.multipliedBy(3));
        assertThat(beliefs.overlaps()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void aCurrentTermsFencedWriteIsAcceptedRightAfterAForwardJump(Database database) throws Exception {
        JdbcElectionBackend backend = backend(database, port(database), LEASE);
        Election a = backend.election(election, "a");
        a.start();
        await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
        Leadership term = a.leadership().orElseThrow();
        JdbcFencing fencing = backend.fencing();

        jump(database, AHEAD);
        try (Connection connection = dataSource(database, port(database)).getConnection()) {
            connection.setAutoCommit(false);
            fencing.assertHolds(connection, term);
            try (PreparedStatement check = connection.prepareStatement("SELECT " + fencing.predicate())) {
                check.setString(1, term.election());
                check.setLong(2, term.fencingToken());
                try (ResultSet row = check.executeQuery()) {
                    assertThat(row.next() && row.getBoolean(1)).as("the predicate of the current term").isTrue();
                }
            }
            connection.rollback();
        }
    }

    /** {@code leader} holds its term of {@code token} and was never revoked. */
    private static void keeps(Beliefs beliefs, Election leader, long token) {
        assertThat(beliefs.revocations()).as("revocations of a healthy leader").isEmpty();
        assertThat(leader.leadership()).as("the leader's term").hasValueSatisfying(term -> assertThat(term.fencingToken()).isEqualTo(token));
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    private JdbcElectionBackend backend(Database database, int port, Duration lease) {
        return closing(new JdbcElectionBackend(dataSource(database, port), DataSources.settings(lease)));
    }

    /** When {@code election} was last granted a term (nanoTime). */
    private static AtomicLong lastGrantTime(Election election) {
        AtomicLong grantedAt = new AtomicLong();
        election.addListener(new ElectionListener() {
            @Override
            public void granted(Leadership leadership) {
                grantedAt.set(System.nanoTime());
            }
        });
        return grantedAt;
    }

    /** Moves the database server's wall clock, and waits until a new session sees it. */
    private static void jump(Database database, String offset) throws Exception {
        setOffset(offset);
        long expected = Long.parseLong(offset.substring(1)) * (offset.startsWith("-") ? -1 : 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> Math.abs(databaseSecondsAhead(database) - expected) < 60);
    }

    private static void setOffset(String offset) throws IOException {
        Files.writeString(offsetFile, offset + "\n", StandardCharsets.US_ASCII);
    }

    /** How far the database's clock is ahead of ours, in seconds, as a new session sees it. */
    private static long databaseSecondsAhead(Database database) throws SQLException {
        String now = database == Database.POSTGRESQL ? "extract(epoch from now())::bigint"
                : "TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP())";
        return queryLong(database, "SELECT " + now, null) - System.currentTimeMillis() / 1000;
    }

    /** How far the lease row's expiry is ahead of our clock, in seconds. */
    private long expirySecondsAhead(Database database) throws SQLException {
        String expiry = database == Database.POSTGRESQL ? "extract(epoch from expiry)::bigint"
                : "TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', expiry)";
        return queryLong(database, "SELECT " + expiry + " FROM leader_election WHERE name = ?", election)
                - System.currentTimeMillis() / 1000;
    }

    private static long queryLong(Database database, String sql, String parameter) throws SQLException {
        try (Connection connection = dataSource(database, port(database)).getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            if (parameter != null) {
                statement.setString(1, parameter);
            }
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static int port(Database database) {
        return database == Database.POSTGRESQL ? postgres.port() : mariaDb.port();
    }

    private static DataSource dataSource(Database database, int port) {
        return database == Database.POSTGRESQL
                ? DataSources.postgres("jdbc:postgresql://127.0.0.1:" + port + "/postgres", postgres.user())
                : DataSources.mariaDb("jdbc:mariadb://127.0.0.1:" + port + "/leader", mariaDb.user());
    }
}
