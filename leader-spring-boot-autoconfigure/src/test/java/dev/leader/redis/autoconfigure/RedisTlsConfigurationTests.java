package dev.leader.redis.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import dev.leader.autoconfigure.LeaderAutoConfiguration;
import dev.leader.election.Election;
import dev.leader.election.ElectionBackend;
import dev.leader.election.InvalidSettingException;
import dev.leader.spring.ElectionRegistry;
import dev.leader.testsupport.RedisServer;
import dev.leader.testsupport.TestCertificates;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The Redis backend over TLS on a real {@code redis-server} that accepts only TLS and asks for a
 * client certificate, with SSL bundles from {@code leader.redis.ssl.bundle} or from the
 * application's Spring Data Redis connection.
 */
class RedisTlsConfigurationTests {

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
    void runWhenRedisSslBundleSetShouldElectOverTlsWithItsClientCertificate() throws Exception {
        try (RedisServer redis = RedisServer.builder().tls(certificates, true).start()) {
            runner.withPropertyValues("leader.redis.url=redis://127.0.0.1:" + redis.port(), "leader.redis.ssl.bundle=client")
                    .run(RedisTlsConfigurationTests::awaitLeader);
        }
    }

    @Test
    void runWhenRedissUrlHasNoBundleShouldNotReachAServerItCannotTrust() throws Exception {
        try (RedisServer redis = RedisServer.builder().tls(certificates, false).start()) {
            runner.withPropertyValues("leader.redis.url=" + redis.url()).run(RedisTlsConfigurationTests::awaitUnreachable);
        }
    }

    @Test
    void runWhenSslBundleHasNoClientCertificateShouldNotReachAServerThatAsksForOne() throws Exception {
        try (RedisServer redis = RedisServer.builder().tls(certificates, true).start()) {
            runner.withPropertyValues("leader.redis.url=" + redis.url(), "leader.redis.ssl.bundle=trust-only")
                    .run(RedisTlsConfigurationTests::awaitUnreachable);
        }
    }

    @Test
    void runWhenSpringDataRedisConnectionHasSslBundleShouldElectWithItsKeyAndTrust() throws Exception {
        try (RedisServer redis = RedisServer.builder().tls(certificates, true).start()) {
            runner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                    .withPropertyValues("leader.backend=redis", "spring.data.redis.host=127.0.0.1",
                            "spring.data.redis.port=" + redis.port(), "spring.data.redis.ssl.bundle=client")
                    .run(RedisTlsConfigurationTests::awaitLeader);
        }
    }

    @Test
    void runWhenBothBundlesSetShouldUseLeaderRedisSslBundle() throws Exception {
        try (RedisServer redis = RedisServer.builder().tls(certificates, true).start()) {
            runner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                    .withPropertyValues("leader.backend=redis", "spring.data.redis.host=127.0.0.1",
                            "spring.data.redis.port=" + redis.port(), "spring.data.redis.ssl.bundle=trust-only",
                            "leader.redis.ssl.bundle=client")
                    .run(RedisTlsConfigurationTests::awaitLeader);
        }
    }

    @Test
    void runWhenSslBundleUnknownShouldFailNamingProperty() {
        runner.withPropertyValues("leader.redis.url=redis://127.0.0.1:1", "leader.redis.ssl.bundle=missing").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOfSatisfying(InvalidSettingException.class, ex -> {
                assertThat(ex.property()).isEqualTo("leader.redis.ssl.bundle");
                assertThat(ex.value()).isEqualTo("missing");
            });
        });
    }

    private static void awaitLeader(AssertableApplicationContext context) {
        assertThat(context).hasNotFailed();
        assertThat(context.getBean(ElectionBackend.class).type()).isEqualTo("redis");
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
