package dev.leader.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;
import dev.leader.election.RevokeReason;
import dev.leader.testsupport.EtcdCluster;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many elections on one backend cost one lease, one watch stream and a fixed number of threads
 * (issue 20); losing the one lease revokes every leader of the backend, and each campaigns again
 * on the next lease.
 */
class EtcdScaleTest {

    private static final int ELECTIONS = 400;

    /** Long enough that 400 elections campaigning on a busy machine do not lose their terms. */
    private static final Duration LEASE = Duration.ofSeconds(10);

    private @Nullable EtcdCluster etcd;

    private final List<EtcdElectionBackend> backends = new ArrayList<>();

    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void startEtcd() throws IOException {
        etcd = EtcdCluster.start(1);
    }

    @AfterEach
    void stopAll() throws IOException {
        for (EtcdElectionBackend backend : backends) {
            backend.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void fourHundredElectionsOnOneBackendLeadOnOneLeaseOneWatchAndAFewThreads() throws Exception {
        long before = threadNames("leader-").size();
        EtcdElectionBackend backend = backend();
        List<Election> elections = startElections(backend, new ConcurrentHashMap<>(), new AtomicInteger());

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(elections.stream().filter(Election::isLeader).count())
                .as("elections leading").isEqualTo(ELECTIONS));
        assertThat(threadNames("leader-etcd")).as("the backend's own threads with %d elections", ELECTIONS)
                .hasSizeLessThanOrEqualTo(EtcdElectionBackend.LANE_WORKERS + 2);
        // The shared event pool's threads come and go with the deliveries under way at once; a
        // thread per election would add 400.
        assertThat(threadNames("leader-").size() - before).as("threads named leader-* added by %d elections: %s", ELECTIONS,
                threadNames("leader-")).isLessThan(ELECTIONS / 10);
        assertThat(leasesOnServer()).as("leases etcd holds").containsExactly(backend.sharedLease().currentId());
        assertThat(backend.sharedLease().grants()).as("leases granted to the backend").isEqualTo(1);
        assertThat(metric("etcd_debugging_mvcc_watch_stream_total")).as("watch streams open on etcd").isEqualTo(1);
        assertThat(metric("etcd_debugging_mvcc_watcher_total")).as("watchers on etcd").isEqualTo(1);
    }

    @Test
    void losingTheSharedLeaseRevokesEveryLeaderAndEachLeadsAgainOnANewLease() throws Exception {
        EtcdElectionBackend backend = backend();
        Map<String, Long> firstTokens = new ConcurrentHashMap<>();
        AtomicInteger expiries = new AtomicInteger();
        List<Election> elections = startElections(backend, firstTokens, expiries);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(elections.stream().filter(Election::isLeader).count())
                .as("elections leading").isEqualTo(ELECTIONS));
        long lost = backend.sharedLease().currentId();
        Map<String, Long> tokens = new ConcurrentHashMap<>();
        elections.forEach(election -> tokens.put(election.name(), election.leadership().orElseThrow().fencingToken()));

        post("/v3/lease/revoke", "{\"ID\":\"" + lost + "\"}");

        // The next keep-alive finds the lease gone: every leader is revoked, and leads again on a new key.
        await().atMost(LEASE.multipliedBy(2)).untilAsserted(() -> assertThat(expiries.get())
                .as("terms revoked by the loss of the shared lease").isEqualTo(ELECTIONS));
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(elections.stream().filter(Election::isLeader).count())
                .as("elections leading again").isEqualTo(ELECTIONS));
        long fresh = backend.sharedLease().currentId();
        assertThat(fresh).isNotEqualTo(lost);
        assertThat(backend.sharedLease().grants()).as("leases granted to the backend").isEqualTo(2);
        assertThat(leasesOnServer()).as("leases etcd holds").containsExactly(fresh);
        for (Election election : elections) {
            assertThat(election.leadership().orElseThrow().fencingToken()).as("token of %s", election.name())
                    .isGreaterThan(tokens.get(election.name()));
        }
    }

    private List<Election> startElections(EtcdElectionBackend backend, Map<String, Long> grants, AtomicInteger expiries) {
        List<Election> elections = new ArrayList<>();
        for (int i = 0; i < ELECTIONS; i++) {
            Election election = backend.election("scale-" + i, "a");
            election.addListener(new ElectionListener() {
                @Override
                public void granted(Leadership leadership) {
                    grants.put(leadership.election(), leadership.fencingToken());
                }

                @Override
                public void revoked(Leadership leadership, RevokeReason reason) {
                    if (reason == RevokeReason.LEASE_EXPIRED) {
                        expiries.incrementAndGet();
                    }
                }
            });
            election.start();
            elections.add(election);
        }
        return elections;
    }

    private EtcdElectionBackend backend() {
        EtcdElectionBackend backend = new EtcdElectionBackend(EtcdBackendSettings.of(cluster().endpoints()).withLeaseDuration(LEASE));
        backends.add(backend);
        return backend;
    }

    private List<Long> leasesOnServer() throws IOException, InterruptedException {
        List<Long> ids = new ArrayList<>();
        Matcher id = Pattern.compile("\"ID\":\"?(-?\\d+)").matcher(post("/v3/lease/leases", "{}"));
        while (id.find()) {
            ids.add(Long.parseLong(id.group(1)));
        }
        return ids;
    }

    private long metric(String name) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(cluster().endpoint(0).resolve("/metrics")).GET().build();
        String metrics = client.send(request, HttpResponse.BodyHandlers.ofString()).body();
        Matcher value = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(metrics);
        assertThat(value.find()).as("metric %s", name).isTrue();
        return (long) Double.parseDouble(value.group(1));
    }

    private String post(String path, String body) throws IOException, InterruptedException {
        URI uri = cluster().endpoint(0).resolve(path);
        HttpRequest request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s answered %s", path, response.body()).isEqualTo(200);
        return response.body();
    }

    private EtcdCluster cluster() {
        if (etcd == null) {
            throw new IllegalStateException("etcd not started");
        }
        return etcd;
    }

    private static List<String> threadNames(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith(prefix)).sorted().toList();
    }
}
