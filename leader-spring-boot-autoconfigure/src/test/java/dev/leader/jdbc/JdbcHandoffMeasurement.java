package dev.leader.jdbc;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;
import dev.leader.testsupport.MariaDbServer;
import dev.leader.testsupport.PostgresServer;

/**
 * Measures, on real servers started here: graceful hand-off (the leader's {@code close()} in this
 * JVM to the successor's grant; and SIGTERM of a leader JVM to the successor JVM's grant), crash
 * failover (kill -9 of the leader JVM to the successor's grant), and statements that followers
 * send at rest (PostgreSQL: {@code pg_stat_statements} of the followers' own role; MariaDB:
 * {@code USER_STATISTICS} of theirs). Not a test: run it by hand and read the figures.
 *
 * <pre>
 * ./mvnw -q -o -pl leader-spring-boot-autoconfigure -am test-compile
 * ./mvnw -q -o -pl leader-spring-boot-autoconfigure dependency:build-classpath -Dmdep.outputFile=/tmp/jdbc-cp.txt -Dmdep.includeScope=test
 * java -cp "test-support/target/classes:leader-spring-boot-autoconfigure/target/classes:leader-spring-boot-autoconfigure/target/test-classes:$(cat /tmp/jdbc-cp.txt)" \
 *     dev.leader.jdbc.JdbcHandoffMeasurement [handoffRounds=20] [failoverRounds=5] [leaseMillis=2000] [restSeconds=60]
 * </pre>
 */
public final class JdbcHandoffMeasurement {

    private static final AtomicInteger ids = new AtomicInteger();

    private JdbcHandoffMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        int handoffRounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int failoverRounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long lease = args.length > 2 ? Long.parseLong(args[2]) : 2_000;
        int restSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        try (PostgresServer postgres = PostgresServer.start("shared_preload_libraries=pg_stat_statements")) {
            postgres.psql("CREATE EXTENSION pg_stat_statements");
            postgres.psql("CREATE ROLE follower LOGIN");
            DataSource leaderSource = DataSources.postgres(postgres);
            try (JdbcElectionBackend schema = new JdbcElectionBackend(leaderSource, DataSources.settings(Duration.ofMillis(lease)))) {
                postgres.psql("GRANT ALL ON leader_election TO follower");
            }
            report("PostgreSQL hand-off after close(), candidates in one JVM (ms)", inProcess(() -> DataSources.postgres(postgres), handoffRounds, lease));
            report("PostgreSQL hand-off after SIGTERM of the leader JVM (ms)", rounds(postgres.jdbcUrl(), postgres.user(), "TERM", handoffRounds, lease));
            report("PostgreSQL failover after kill -9 of the leader JVM, lease " + lease + " ms (ms)",
                    rounds(postgres.jdbcUrl(), postgres.user(), "KILL", failoverRounds, lease));
            restingPostgres(postgres, lease, restSeconds);
        }
        try (MariaDbServer mariaDb = MariaDbServer.start("--userstat=1")) {
            mariaDb.sql("CREATE USER follower@'127.0.0.1'; GRANT ALL ON leader.* TO follower@'127.0.0.1'");
            report("MariaDB hand-off after close(), candidates in one JVM (ms)", inProcess(() -> DataSources.mariaDb(mariaDb), handoffRounds, lease));
            report("MariaDB hand-off after SIGTERM of the leader JVM (ms)", rounds(mariaDb.jdbcUrl(), mariaDb.user(), "TERM", handoffRounds, lease));
            report("MariaDB failover after kill -9 of the leader JVM, lease " + lease + " ms (ms)",
                    rounds(mariaDb.jdbcUrl(), mariaDb.user(), "KILL", failoverRounds, lease));
            restingMariaDb(mariaDb, lease, restSeconds);
        }
        System.exit(0);
    }

    /** A leader (role postgres) and two followers (role follower); statements of the followers' role over a quiet period. */
    private static void restingPostgres(PostgresServer postgres, long lease, int seconds) throws Exception {
        String election = "rest-" + System.nanoTime();
        try (CandidateJvm leader = CandidateJvm.start(postgres.jdbcUrl(), postgres.user(), election, "leader", lease)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> leader.first("GRANTED").isPresent());
            try (CandidateJvm one = CandidateJvm.start(postgres.jdbcUrl(), "follower", election, "f1", lease);
                    CandidateJvm two = CandidateJvm.start(postgres.jdbcUrl(), "follower", election, "f2", lease)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> one.first("LEADER leader").isPresent() && two.first("LEADER leader").isPresent());
                postgres.psql("SELECT pg_stat_statements_reset()");
                await().pollDelay(Duration.ofSeconds(seconds)).atMost(Duration.ofSeconds(seconds + 1)).until(() -> true);
                String followers = postgres.psql("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid"
                        + " WHERE r.rolname = 'follower'");
                String leaders = postgres.psql("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid"
                        + " WHERE r.rolname = 'postgres' AND s.query NOT LIKE '%pg_stat_statements%'");
                System.out.printf("PostgreSQL at rest for %d s, lease %d ms: statements by 2 followers: %s; by the leader: %s%n", seconds, lease,
                        followers, leaders);
            }
        }
    }

    /** As {@link #restingPostgres}, counted by MariaDB's per-user statistics. */
    private static void restingMariaDb(MariaDbServer mariaDb, long lease, int seconds) throws Exception {
        String election = "rest-" + System.nanoTime();
        try (CandidateJvm leader = CandidateJvm.start(mariaDb.jdbcUrl(), mariaDb.user(), election, "leader", lease)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> leader.first("GRANTED").isPresent());
            try (CandidateJvm one = CandidateJvm.start(mariaDb.jdbcUrl(), "follower", election, "f1", lease);
                    CandidateJvm two = CandidateJvm.start(mariaDb.jdbcUrl(), "follower", election, "f2", lease)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> one.first("LEADER leader").isPresent() && two.first("LEADER leader").isPresent());
                String query = "SELECT SELECT_COMMANDS + UPDATE_COMMANDS + OTHER_COMMANDS FROM information_schema.USER_STATISTICS WHERE USER = ";
                long followersBefore = Long.parseLong(mariaDb.sql(query + "'follower'"));
                long leaderBefore = Long.parseLong(mariaDb.sql(query + "'root'"));
                await().pollDelay(Duration.ofSeconds(seconds)).atMost(Duration.ofSeconds(seconds + 1)).until(() -> true);
                long followers = Long.parseLong(mariaDb.sql(query + "'follower'")) - followersBefore;
                long leaders = Long.parseLong(mariaDb.sql(query + "'root'")) - leaderBefore - 1;
                System.out.printf("MariaDB at rest for %d s, lease %d ms: statements by 2 followers: %d; by the leader: %d%n", seconds, lease,
                        followers, leaders);
            }
        }
    }

    private static List<Long> rounds(String url, String user, String signal, int rounds, long lease) throws Exception {
        String election = "measure-" + signal.toLowerCase() + "-" + System.nanoTime();
        List<CandidateJvm> candidates = new ArrayList<>();
        List<Long> results = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                candidates.add(CandidateJvm.start(url, user, election, "c" + ids.incrementAndGet(), lease));
            }
            for (int round = 0; round < rounds; round++) {
                CandidateJvm leader = awaitLeader(candidates);
                // Every follower has read the lease: all are waiting, none still starting.
                await().atMost(Duration.ofSeconds(30)).until(() -> candidates.stream()
                        .allMatch(c -> c == leader || c.lines().stream().anyMatch(l -> l.startsWith("LEADER " + leader.id()))));
                long sent = System.currentTimeMillis();
                leader.signal(signal);
                await().atMost(Duration.ofMillis(lease * 3)).until(() -> grantAfter(candidates, leader, sent).isPresent());
                long took = grantAfter(candidates, leader, sent).orElseThrow() - sent;
                results.add(took);
                await().atMost(Duration.ofSeconds(15)).until(() -> !leader.isAlive());
                candidates.remove(leader);
                leader.close();
                candidates.add(CandidateJvm.start(url, user, election, "c" + ids.incrementAndGet(), lease));
            }
        }
        finally {
            for (CandidateJvm candidate : candidates) {
                candidate.close();
            }
        }
        return results;
    }

    private interface Source {
        DataSource get();
    }

    /** close() of the leader → the successor's granted event, on the monotonic clock. */
    private static List<Double> inProcess(Source source, int rounds, long lease) {
        String election = "measure-close-" + System.nanoTime();
        List<JdbcElectionBackend> backends = new ArrayList<>();
        List<Election> candidates = new ArrayList<>();
        AtomicLong grantedNanos = new AtomicLong();
        List<Double> results = new ArrayList<>();
        try {
            for (int round = -3; round < rounds; round++) {
                while (candidates.size() < 3) {
                    JdbcElectionBackend backend = new JdbcElectionBackend(source.get(), DataSources.settings(Duration.ofMillis(lease)));
                    backends.add(backend);
                    Election candidate = backend.election(election, "p" + ids.incrementAndGet());
                    candidate.addListener(new ElectionListener() {
                        @Override
                        public void granted(Leadership leadership) {
                            grantedNanos.set(System.nanoTime());
                        }
                    });
                    candidate.start();
                    candidates.add(candidate);
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> candidates.stream().filter(Election::isLeader).count() == 1
                        && candidates.stream().allMatch(c -> c.leaderId().isPresent()));
                Election leader = candidates.stream().filter(Election::isLeader).findFirst().orElseThrow();
                long before = grantedNanos.get();
                long start = System.nanoTime();
                leader.close();
                candidates.remove(leader);
                await().atMost(Duration.ofMillis(lease * 3)).until(() -> grantedNanos.get() != before);
                if (round >= 0) { // the first rounds warm the JIT up
                    results.add((grantedNanos.get() - start) / 1e6);
                }
            }
        }
        finally {
            backends.forEach(JdbcElectionBackend::close);
        }
        return results;
    }

    private static CandidateJvm awaitLeader(List<CandidateJvm> candidates) {
        await().atMost(Duration.ofSeconds(30)).until(() -> candidates.stream().anyMatch(CandidateJvm::leads));
        return candidates.stream().filter(CandidateJvm::leads).findFirst().orElseThrow();
    }

    private static Optional<Long> grantAfter(List<CandidateJvm> candidates, CandidateJvm old, long sent) {
        return candidates.stream().filter(c -> c != old).flatMap(c -> c.lines().stream())
                .filter(l -> l.startsWith("GRANTED ")).map(CandidateJvm::time).filter(t -> t >= sent).min(Long::compare);
    }

    private static <T extends Number & Comparable<T>> void report(String what, List<T> millis) {
        List<T> sorted = millis.stream().sorted().toList();
        System.out.printf("%s: n=%d p50=%s p99=%s max=%s all=%s%n", what, sorted.size(), percentile(sorted, 50),
                percentile(sorted, 99), sorted.get(sorted.size() - 1), millis);
    }

    private static <T> T percentile(List<T> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
