package dev.leader.jdbc;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;
import dev.leader.election.RevokeReason;

/**
 * One candidate in a JVM of its own, for tests and measurements that stop or kill the leader's
 * process. Prints, with wall-clock milliseconds (the test runs on the same host):
 * {@code @@ GRANTED token ms}, {@code @@ REVOKED reason ms}, {@code @@ LEADER id ms}, and
 * {@code @@ DEADLINE ms} whenever a renewal moved the lease deadline. SIGTERM closes the
 * election (releasing the lease).
 *
 * <p>Arguments: JDBC URL, user, election, candidate id, lease in ms.
 */
public final class JdbcCandidateMain {

    private JdbcCandidateMain() {
    }

    public static void main(String[] args) {
        String url = args[0];
        DataSource dataSource = url.startsWith("jdbc:postgresql:") ? DataSources.postgres(url, args[1]) : DataSources.mariaDb(url, args[1]);
        JdbcElectionBackend backend = new JdbcElectionBackend(dataSource,
                DataSources.settings(Duration.ofMillis(Long.parseLong(args[4]))));
        Election election = backend.election(args[2], args[3]);
        election.addListener(new ElectionListener() {
            @Override
            public void granted(Leadership leadership) {
                print("GRANTED " + leadership.fencingToken());
            }

            @Override
            public void revoked(Leadership leadership, RevokeReason reason) {
                print("REVOKED " + reason);
            }

            @Override
            public void leaderChanged(Optional<String> leaderId) {
                print("LEADER " + leaderId.orElse("-"));
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(backend::close));
        election.start();
        long printed = 0;
        while (true) {
            if (election.isLeader()) {
                long deadline = System.currentTimeMillis() + election.leaseRemaining().orElse(Duration.ZERO).toMillis();
                if (deadline > printed + 5) {
                    printed = deadline;
                    System.out.println("@@ DEADLINE " + deadline);
                }
            }
            LockSupport.parkNanos(500_000);
        }
    }

    private static void print(String line) {
        System.out.println("@@ " + line + " " + System.currentTimeMillis());
    }
}
