package dev.leader.etcd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import dev.leader.autoconfigure.LeaderAutoConfiguration;
import dev.leader.election.Election;
import dev.leader.election.ElectionBackend;
import dev.leader.election.InvalidSettingException;
import dev.leader.spring.ElectionRegistry;
import dev.leader.testsupport.EtcdCluster;
import dev.leader.testsupport.TestCertificates;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The etcd backend on a real etcd member that serves clients over TLS only and asks for client
 * certificates ({@code --client-cert-auth}), with the SSL bundle of {@code leader.etcd.ssl-bundle}.
 */
class EtcdTlsConfigurationTests {

    @TempDir
    Path work;

    private TestCertificates certificates;

    private ApplicationContextRunner runner;

    @BeforeEach
    void certificates() throws Exception {
        certificates = TestCertificates.generate(work);
        String ca = "file:" + certificates.caCertificate();
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LeaderAutoConfiguration.class, SslAutoConfiguration.class))
                .withPropertyValues("leader.lease-duration=2s",
                        "spring.ssl.bundle.pem.client.keystore.certificate=file:" + certificates.clientCertificate(),
                        "spring.ssl.bundle.pem.client.keystore.private-key=file:" + certificates.clientKey(),
                        "spring.ssl.bundle.pem.client.truststore.certificate=" + ca,
                        "spring.ssl.bundle.pem.trust-only.truststore.certificate=" + ca);
    }

    @Test
    void runWhenSslBundleHasClientCertificateShouldElectOnAServerThatAsksForOne() throws Exception {
        try (EtcdCluster etcd = EtcdCluster.builder(1).tlsWithClientCertificates(certificates).start()) {
            runner.withPropertyValues("leader.etcd.endpoints=" + etcd.endpoints().get(0), "leader.etcd.ssl-bundle=client")
                    .run(EtcdTlsConfigurationTests::awaitLeader);
        }
    }

    @Test
    void runWhenSslBundleHasNoClientCertificateShouldNotReachAServerThatAsksForOne() throws Exception {
        try (EtcdCluster etcd = EtcdCluster.builder(1).tlsWithClientCertificates(certificates).start()) {
            runner.withPropertyValues("leader.etcd.endpoints=" + etcd.endpoints().get(0), "leader.etcd.ssl-bundle=trust-only")
                    .run(EtcdTlsConfigurationTests::awaitUnreachable);
        }
    }

    @Test
    void runWhenSslBundleUnknownShouldFailNamingProperty() {
        runner.withPropertyValues("leader.etcd.endpoints=https://127.0.0.1:1", "leader.etcd.ssl-bundle=missing").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOfSatisfying(InvalidSettingException.class, ex -> {
                assertThat(ex.property()).isEqualTo("leader.etcd.ssl-bundle");
                assertThat(ex.value()).isEqualTo("missing");
            });
        });
    }

    private static void awaitLeader(AssertableApplicationContext context) {
        assertThat(context).hasNotFailed();
        assertThat(context.getBean(ElectionBackend.class).type()).isEqualTo("etcd");
        Election election = context.getBean(ElectionRegistry.class).defaultElection();
        await().atMost(Duration.ofSeconds(15)).until(election::isLeader);
        assertThat(election.leadership().orElseThrow().fencingToken()).isPositive();
    }

    /** The handshake fails on every attempt: the backend reports why, and nobody leads. */
    private static void awaitUnreachable(AssertableApplicationContext context) {
        assertThat(context).hasNotFailed();
        ElectionBackend backend = context.getBean(ElectionBackend.class);
        Election election = context.getBean(ElectionRegistry.class).defaultElection();
        await().atMost(Duration.ofSeconds(15)).until(() -> backend.status().lastError() != null);
        assertThat(backend.status().reachable()).isFalse();
        assertThat(election.isLeader()).isFalse();
    }
}
