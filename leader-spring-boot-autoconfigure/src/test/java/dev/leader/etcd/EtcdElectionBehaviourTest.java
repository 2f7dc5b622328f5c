package dev.leader.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import dev.leader.election.Election;
import dev.leader.testsupport.EtcdCluster;
import dev.leader.testsupport.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the etcd backend promises beyond the shared contract: keys, leader tracking, auth. */
class EtcdElectionBehaviourTest {

    private static final Duration LEASE = Duration.ofSeconds(2);

    private static EtcdCluster etcd;

    private final List<EtcdElectionBackend> backends = new ArrayList<>();

    private final String election = "behaviour-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void startEtcd() throws Exception {
        etcd = EtcdCluster.start(1);
    }

    @AfterAll
    static void stopEtcd() throws Exception {
        etcd.close();
    }

    @AfterEach
    void closeBackends() {
        for (EtcdElectionBackend backend : backends) {
            backend.close();
        }
    }

    private EtcdElection candidate(String id, EtcdBackendSettings settings) {
        EtcdElectionBackend backend = new EtcdElectionBackend(settings);
        backends.add(backend);
        EtcdElection candidate = (EtcdElection) backend.election(election, id);
        candidate.start();
        return candidate;
    }

    private EtcdElection candidate(String id) {
        return candidate(id, EtcdBackendSettings.of(etcd.endpoints()).withLeaseDuration(LEASE).withPrefix("/apps/x/"));
    }

    private EtcdKv admin() {
        return new EtcdKv(new EtcdHttp(EtcdBackendSettings.of(etcd.endpoints())), Duration.ofSeconds(2));
    }

    @Test
    void theLeadersKeyIsTheOldestUnderThePrefixAndItsCreateRevisionIsTheFencingToken() throws Exception {
        EtcdElection a = candidate("a");
        await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
        EtcdElection b = candidate("b");
        await().atMost(Duration.ofSeconds(5)).until(() -> b.leaderId().isPresent());
        EtcdKv.Range range = admin().range("/apps/x/" + election + "/");
        assertThat(range.kvs()).extracting(EtcdKv.Kv::value).containsExactly("a", "b");
        assertThat(range.kvs().get(0).key()).isEqualTo("/apps/x/" + election + "/" + Long.toHexString(a.leaseId()));
        assertThat(a.leadership().orElseThrow().fencingToken()).isEqualTo(range.kvs().get(0).createRevision());
        a.close();
        await().atMost(Duration.ofSeconds(2)).until(() -> admin().range("/apps/x/" + election + "/").kvs().size() == 1);
    }

    @Test
    void aFollowerBehindAnotherFollowerLearnsTheNewLeaderFromItsWatch() {
        EtcdElection a = candidate("a");
        await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
        EtcdElection b = candidate("b");
        await().atMost(Duration.ofSeconds(5)).until(() -> b.leaderId().isPresent());
        EtcdElection c = candidate("c");
        await().atMost(Duration.ofSeconds(5)).until(() -> c.leaderId().filter("a"::equals).isPresent());
        a.close();
        await().atMost(Duration.ofSeconds(2)).until(b::isLeader);
        // c watches b, not a; it still hears that a left and names b, well before any lease runs out.
        await().atMost(Duration.ofSeconds(1)).until(() -> c.leaderId().filter("b"::equals).isPresent());
    }

    @Test
    void aUserAndPasswordAreSentWhenEtcdRequiresThem() throws Exception {
        try (EtcdCluster secured = EtcdCluster.start(1)) {
            EtcdKv root = new EtcdKv(new EtcdHttp(EtcdBackendSettings.of(secured.endpoints())), Duration.ofSeconds(2));
            root.http().post("/v3/auth/user/add", "{\"name\":\"root\",\"password\":\"s3cret\"}", Duration.ofSeconds(2));
            root.http().post("/v3/auth/role/add", "{\"name\":\"root\"}", Duration.ofSeconds(2));
            root.http().post("/v3/auth/user/grant", "{\"user\":\"root\",\"role\":\"root\"}", Duration.ofSeconds(2));
            root.http().post("/v3/auth/enable", "{}", Duration.ofSeconds(2));
            EtcdBackendSettings base = EtcdBackendSettings.of(secured.endpoints()).withLeaseDuration(LEASE);

            EtcdElection wrong = candidate("wrong", base.withCredentials("root", "nope"));
            EtcdElection right = candidate("right", base.withCredentials("root", "s3cret"));
            await().atMost(Duration.ofSeconds(5)).until(right::isLeader);
            await().atMost(Duration.ofSeconds(5)).until(() -> backends.get(0).status().lastError() != null);
            assertThat(wrong.isLeader()).isFalse();
            assertThat(backends.get(0).status().lastError()).contains("authentication failed");
        }
    }

    @Test
    void httpsEndpointsAreReachedWithTheGivenSslContext(@TempDir Path dir) throws Exception {
        TestCertificates.SelfSigned certificate = TestCertificates.selfSigned(dir);
        SSLContext trust = certificate.trust();
        try (EtcdCluster secured = EtcdCluster.builder(1).tls(certificate.certificate(), certificate.key(), trust).start()) {
            assertThat(secured.endpoints().get(0).getScheme()).isEqualTo("https");
            EtcdBackendSettings base = EtcdBackendSettings.of(secured.endpoints()).withLeaseDuration(LEASE);
            EtcdElection untrusting = candidate("untrusting", base);
            EtcdElection trusting = candidate("trusting", base.withSslContext(trust));
            await().atMost(Duration.ofSeconds(5)).until(trusting::isLeader);
            await().atMost(Duration.ofSeconds(5)).until(() -> backends.get(0).status().lastError() != null);
            assertThat(untrusting.isLeader()).isFalse();
        }
    }

    @Test
    void backendStatusReportsAnUnreachableEndpoint() {
        EtcdElection lonely = candidate("lonely", EtcdBackendSettings.of("http://127.0.0.1:1").withLeaseDuration(LEASE));
        await().atMost(Duration.ofSeconds(5)).until(() -> !backends.get(0).status().reachable());
        assertThat(lonely.isLeader()).isFalse();
        assertThat(List.of(lonely)).noneMatch(Election::isLeader);
    }
}
