package dev.leader.zookeeper;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import dev.leader.election.Election;
import dev.leader.testsupport.ZooKeeperTestServer;

/**
 * Many candidates of one election, each with a session of its own, all through one
 * {@link TcpProxy} that counts every session's requests and received bytes: what a leader
 * change costs the followers.
 */
final class CandidateHerd implements AutoCloseable {

    private final TcpProxy proxy;

    private final List<Member> members = new ArrayList<>();

    private record Member(ZooKeeperElectionBackend backend, ZooKeeperElection election) {

        long sessionId() {
            return backend.session().client().getSessionId();
        }
    }

    /**
     * What one leader change cost, from the old leader's close to the moment every follower names
     * the successor and the proxy has carried nothing but pings for a while.
     *
     * @param followers the candidates that neither left nor took over
     * @param maxFollowerRequests the most requests one of them made
     * @param maxFollowerReads the most reads one of them made
     * @param followerRequests their requests together
     * @param successor what the successor sent and received
     * @param bytesReceived the bytes every remaining candidate received, the successor's included
     */
    record Change(int followers, int maxFollowerRequests, int maxFollowerReads, int followerRequests,
            TcpProxy.Traffic successor, long bytesReceived) {

        @Override
        public String toString() {
            return "followers " + followers + ": at most " + maxFollowerRequests + " requests (" + maxFollowerReads
                    + " reads) each, " + followerRequests + " together; successor " + successor.requests() + " requests ("
                    + successor.reads() + " reads), " + successor.bytesReceived() + " bytes; bytes received by all "
                    + bytesReceived + " (" + bytesReceived / Math.max(1, followers + 1) + " per candidate)";
        }
    }

    /** Starts {@code size} candidates, the first alone until it leads; returns once all name it. */
    CandidateHerd(ZooKeeperTestServer server, String electionName, int size, Duration session) throws Exception {
        this.proxy = new TcpProxy(server.port());
        for (int i = 0; i < size; i++) {
            ZooKeeperElectionBackend backend = new ZooKeeperElectionBackend(
                    ZooKeeperBackendSettings.builder(proxy.connectString()).sessionTimeout(session).build());
            ZooKeeperElection election = (ZooKeeperElection) backend.election(electionName, "c" + i);
            members.add(new Member(backend, election));
            election.start();
            if (i == 0) {
                await().atMost(Duration.ofSeconds(30)).until(election::isLeader);
            }
        }
        awaitAllFollow(members.get(0).election());
    }

    Election leader() {
        return members.stream().map(Member::election).filter(Election::isLeader).findFirst().orElseThrow();
    }

    /** Closes the leader's election and backend, awaits its successor, and counts what it cost. */
    Change closeLeader() {
        Member leaving = members.stream().filter(m -> m.election().isLeader()).findFirst().orElseThrow();
        awaitQuiet();
        Map<Long, TcpProxy.Traffic> before = proxy.traffic();
        leaving.election().close();
        leaving.backend().close();
        members.remove(leaving);
        await().atMost(Duration.ofSeconds(30)).until(() -> members.stream().filter(m -> m.election().isLeader()).count() == 1);
        ZooKeeperElection successor = members.stream().map(Member::election).filter(Election::isLeader).findFirst().orElseThrow();
        awaitAllFollow(successor);
        awaitQuiet();
        Map<Long, TcpProxy.Traffic> after = proxy.traffic();
        int maxRequests = 0;
        int maxReads = 0;
        int requests = 0;
        long bytes = 0;
        TcpProxy.Traffic successorTraffic = null;
        for (Member member : members) {
            long id = member.sessionId();
            TcpProxy.Traffic spent = after.get(id).minus(before.getOrDefault(id, new TcpProxy.Traffic(0, 0, 0)));
            bytes += spent.bytesReceived();
            if (member.election() == successor) {
                successorTraffic = spent;
                continue;
            }
            maxRequests = Math.max(maxRequests, spent.requests());
            maxReads = Math.max(maxReads, spent.reads());
            requests += spent.requests();
        }
        return new Change(members.size() - 1, maxRequests, maxReads, requests, java.util.Objects.requireNonNull(successorTraffic), bytes);
    }

    private void awaitAllFollow(Election leader) {
        await().atMost(Duration.ofSeconds(60)).until(() -> members.stream()
                .allMatch(m -> m.election() == leader || m.election().leaderId().filter(leader.candidateId()::equals).isPresent()));
    }

    /** Until the followers sent no request but pings for half a second (the leader renews meanwhile). */
    private void awaitQuiet() {
        AtomicReference<Integer> last = new AtomicReference<>(-1);
        await().pollInterval(Duration.ofMillis(100)).during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(30)).until(() -> {
            Map<Long, TcpProxy.Traffic> traffic = proxy.traffic();
            int total = members.stream().filter(m -> !m.election().isLeader())
                    .mapToInt(m -> traffic.getOrDefault(m.sessionId(), new TcpProxy.Traffic(0, 0, 0)).requests()).sum();
            return last.getAndSet(total) == total;
        });
    }

    @Override
    public void close() throws Exception {
        for (Member member : members) {
            member.election().close();
            member.backend().close();
        }
        proxy.close();
    }
}
