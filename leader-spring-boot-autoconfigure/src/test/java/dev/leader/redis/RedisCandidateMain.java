package dev.leader.redis;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;
import dev.leader.election.RevokeReason;

/**
 * One candidate in a JVM of its own, for tests that stop or kill the leader's process. Prints,
 * with wall-clock milliseconds (the test runs on the same host): {@code @@ GRANTED token ms},
 * {@code @@ REVOKED reason ms}, {@code @@ LEADER id ms}, and {@code @@ DEADLINE token ms} whenever a
 * renewal moved the lease deadline, {@code @@ REACHABLE true|false ms} whenever the backend's
 * status changes. SIGTERM closes the election (releasing the lease).
 *
 * <p>Arguments: url, election, candidate id, lease in ms, and optionally {@code notifications}
 * (let the backend turn on keyspace expiry notifications, so that a follower reads nothing at rest).
 */
public final class RedisCandidateMain {

    private RedisCandidateMain() {
    }

    public static void main(String[] args) {
        RedisClientLogs.quiet();
        boolean notifications = args.length > 4 && args[4].equals("notifications");
        RedisElectionBackend backend = RedisElectionBackend.fromUrl(args[0],
                RedisBackendSettings.of(Duration.ofMillis(Long.parseLong(args[3]))).withEnableExpiryNotifications(notifications));
        Election election = backend.election(args[1], args[2]);
        election.addListener(new ElectionListener() {
            @Override
            public void granted(Leadership leadership) {
                // The time of the grant itself, not of this (later) event.
                System.out.println("@@ GRANTED " + leadership.fencingToken() + " " + leadership.grantedAt().toEpochMilli());
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
        boolean reachable = false;
        while (true) {
            if (backend.status().reachable() != reachable) {
                reachable = !reachable;
                print("REACHABLE " + reachable);
            }
            Optional<Leadership> term = election.leadership();
            if (term.isPresent() && election.isLeader()) {
                long deadline = System.currentTimeMillis() + election.leaseRemaining().orElse(Duration.ZERO).toMillis();
                if (deadline > printed + 5) {
                    printed = deadline;
                    System.out.println("@@ DEADLINE " + term.get().fencingToken() + " " + deadline);
                }
            }
            LockSupport.parkNanos(500_000);
        }
    }

    private static void print(String line) {
        System.out.println("@@ " + line + " " + System.currentTimeMillis());
    }
}
