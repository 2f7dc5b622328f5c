package dev.leader.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import dev.leader.election.Election;
import dev.leader.election.EventLog;
import dev.leader.testsupport.LoopbackProxy;
import dev.leader.testsupport.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis forgets: a restart from an older RDB snapshot, a restart without persistence, a replica
 * promoted after it missed writes. Each time the leader (in a JVM of its own, which prints its
 * lease deadlines) still believes for up to a lease while the server no longer knows its lease,
 * or knows an older epoch. The next term, the successor's or the old leader's own, must not begin
 * before that leader's last deadline, and its token must be above every token issued before.
 */
class RedisRestartTest {

    static final long LEASE_MS = 2_000;

    static final Duration LEASE = Duration.ofMillis(LEASE_MS);

    @TempDir
    Path directory;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    private final EventLog events = new EventLog();

    @AfterEach
    void stop() throws Exception {
        Collections.reverse(closeables);
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    @Test
    void aRestartFromAnOlderSnapshotGrantsNobodyBeforeTheOldLeadersDeadlineAndTokensKeepGrowing() throws Exception {
        RedisServer server = track(RedisServer.start());
        termsOf(server.url(), "snapshot", "early", 2);
        admin(server.url()).save();
        Path older = Files.copy(server.directory().resolve("dump.rdb"), directory.resolve("older.rdb"));
        termsOf(server.url(), "snapshot", "middle", 3);
        CandidateProcess leader = leaderInItsOwnJvm(server.url(), "snapshot");
        Election successor = candidate(server.url(), "snapshot", "successor");

        server.kill9();
        Files.copy(older, server.directory().resolve("dump.rdb"), StandardCopyOption.REPLACE_EXISTING);
        server.restart();

        assertNextTermWaitedAndTokensGrew(leader, successor);
    }

    @Test
    void aRestartWithoutPersistenceGrantsNobodyBeforeTheOldLeadersDeadlineAndTokensKeepGrowing() throws Exception {
        RedisServer server = track(RedisServer.start());
        termsOf(server.url(), "amnesia", "early", 3);
        CandidateProcess leader = leaderInItsOwnJvm(server.url(), "amnesia");
        Election successor = candidate(server.url(), "amnesia", "successor");

        server.kill9();
        assertThat(server.directory().resolve("dump.rdb")).doesNotExist();
        server.restart();

        assertNextTermWaitedAndTokensGrew(leader, successor);
    }

    /**
     * The clients reach Redis through a forwarder that, as Sentinel would, sends them to the
     * replica once it is promoted. Replication was cut before the last terms: for one election
     * the replica holds an older epoch, for the other nothing at all.
     */
    @Test
    void aReplicaPromotedAfterItMissedWritesGrantsNobodyBeforeTheOldLeadersDeadlineAndTokensKeepGrowing() throws Exception {
        RedisServer master = track(RedisServer.start());
        RedisServer replica = track(RedisServer.builder().options("--replicaof", "127.0.0.1", Integer.toString(master.port())).start());
        LoopbackProxy forwarder = track(LoopbackProxy.to(master.port()));
        String url = "redis://127.0.0.1:" + forwarder.port();
        termsOf(url, "stale", "early", 2);
        String epoch = ElectionKeys.of(RedisBackendSettings.DEFAULT_KEY_PREFIX, "stale", 0).epoch();
        RedisCommands<String, String> onReplica = admin(replica.url());
        RedisCommands<String, String> onMaster = admin(master.url());
        await().atMost(Duration.ofSeconds(10)).until(() -> onMaster.get(epoch).equals(onReplica.get(epoch)));
        onReplica.replicaof("127.0.0.1", unusedPort()); // keeps its data, hears nothing more
        termsOf(url, "stale", "middle", 2);
        CandidateProcess staleLeader = leaderInItsOwnJvm(url, "stale");
        CandidateProcess unseenLeader = leaderInItsOwnJvm(url, "unseen");
        Election staleSuccessor = candidate(url, "stale", "successor");
        Election unseenSuccessor = candidate(url, "unseen", "successor");
        // Up longer than a lease: the replica's own start says nothing about the failover.
        await().atMost(Duration.ofSeconds(10)).until(() -> onReplica.info("server").contains("uptime_in_seconds:")
                && uptimeSeconds(onReplica) * 1000 > 2 * LEASE_MS);

        master.kill9();
        onReplica.replicaofNoOne();
        forwarder.retarget(replica.port());

        assertNextTermWaitedAndTokensGrew(staleLeader, staleSuccessor);
        assertNextTermWaitedAndTokensGrew(unseenLeader, unseenSuccessor);
    }

    /**
     * The next term, whoever wins it (the successor, or the old leader campaigning again), began
     * after the old leader's last deadline of its term, with a token above every earlier one.
     */
    private void assertNextTermWaitedAndTokensGrew(CandidateProcess leader, Election successor) {
        await().atMost(Duration.ofSeconds(30)).until(() -> successor.leadership().isPresent() || leader.count("GRANTED") > 1);
        List<String> lines = leader.lines();
        List<String> grants = lines.stream().filter(l -> l.startsWith("GRANTED ")).toList();
        String firstToken = grants.get(0).split(" ")[1];
        long lastDeadline = lines.stream().filter(l -> l.startsWith("DEADLINE " + firstToken + " "))
                .mapToLong(CandidateProcess::time).max().orElseThrow();
        long grantedAt;
        long token;
        String winner;
        if (grants.size() > 1) {
            winner = "the old leader";
            token = Long.parseLong(grants.get(1).split(" ")[1]);
            grantedAt = CandidateProcess.time(grants.get(1));
        }
        else {
            winner = "the successor";
            token = successor.leadership().orElseThrow().fencingToken();
            grantedAt = successor.leadership().orElseThrow().grantedAt().toEpochMilli();
        }
        List<Long> before = tokensBefore(successor.name(), grants.get(0));
        System.out.println(successor.name() + ": old leader " + lines + "; " + winner + " granted at " + grantedAt
                + " with token " + token + "; earlier tokens " + before);
        assertThat(grantedAt).as("the next term (%s) begins after the old leader's last deadline", winner).isGreaterThan(lastDeadline);
        assertThat(token).as("the next token is above every earlier token of " + successor.name())
                .isGreaterThan(before.stream().mapToLong(Long::longValue).max().orElseThrow());
        await().atMost(Duration.ofSeconds(10)).until(() -> leader.first("REVOKED").isPresent());
    }

    private List<Long> tokensBefore(String election, String leadersGrant) {
        Stream<Long> inThisJvm = events.of(EventLog.Kind.GRANTED).stream()
                .filter(e -> e.candidateId().startsWith(election + "/") && !e.candidateId().endsWith("/successor"))
                .map(EventLog.Entry::fencingToken);
        return Stream.concat(inThisJvm, Stream.of(Long.parseLong(leadersGrant.split(" ")[1]))).toList();
    }

    /** {@code terms} terms of one candidate, one after the other, then it closes. */
    private void termsOf(String url, String election, String id, int terms) {
        RedisElectionBackend backend = new RedisElectionBackend(RedisURI.create(url), RedisBackendSettings.of(LEASE));
        try {
            Election candidate = backend.election(election, id);
            candidate.addListener(events.listenerFor(election + "/" + id));
            candidate.start();
            for (int i = 1; i <= terms; i++) {
                int term = i;
                await().atMost(Duration.ofSeconds(15)).until(() -> candidate.isLeader()
                        && events.count(election + "/" + id, EventLog.Kind.GRANTED) == term);
                if (i < terms) {
                    candidate.yieldLeadership();
                }
            }
        }
        finally {
            backend.close();
        }
    }

    /** The leader in a JVM of its own, once it has renewed. */
    private CandidateProcess leaderInItsOwnJvm(String url, String election) throws IOException {
        CandidateProcess leader = track(CandidateProcess.start(url, election, election + "-leader", LEASE_MS));
        await().atMost(Duration.ofSeconds(30)).until(() -> leader.count("DEADLINE") >= 3);
        return leader;
    }

    private Election candidate(String url, String election, String id) {
        RedisElectionBackend backend = track(new RedisElectionBackend(RedisURI.create(url), RedisBackendSettings.of(LEASE)));
        Election candidate = backend.election(election, id);
        candidate.addListener(events.listenerFor(election + "/" + id));
        candidate.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> candidate.leaderId().filter((election + "-leader")::equals).isPresent());
        return candidate;
    }

    private RedisCommands<String, String> admin(String url) {
        RedisClient client = track(RedisClient.create(RedisURI.create(url)));
        StatefulRedisConnection<String, String> connection = track(client.connect());
        return connection.sync();
    }

    private static long uptimeSeconds(RedisCommands<String, String> commands) {
        String info = commands.info("server");
        int at = info.indexOf("uptime_in_seconds:") + "uptime_in_seconds:".length();
        return Long.parseLong(info.substring(at, info.indexOf('\r', at)).trim());
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private <T> T track(T closeable) {
        if (closeable instanceof RedisClient client) {
            closeables.add(client::shutdown);
        }
        else {
            closeables.add((AutoCloseable) closeable);
        }
        return closeable;
    }
}
