package dev.leader.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import dev.leader.autoconfigure.LeaderAutoConfiguration;
import dev.leader.election.Election;
import dev.leader.election.ElectionBackend;
import dev.leader.election.InvalidSettingException;
import dev.leader.spring.ElectionRegistry;
import dev.leader.testsupport.ServerProcess;
import dev.leader.testsupport.TestCertificates;
import dev.leader.testsupport.ZooKeeperEnsemble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Elections over TLS only: a server JVM with just a secure client port, with store files made by
 * keytool, or with an SSL bundle through the auto-configuration and certificates made by openssl.
 */
class ZooKeeperTlsTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    Path directory;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    private TestCertificates certificates;

    @BeforeEach
    void certificates() throws IOException {
        certificates = TestCertificates.generate(directory);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @Test
    void electsOverTls() throws Exception {
        Path keyStore = directory.resolve("key.p12");
        Path trustStore = directory.resolve("trust.p12");
        Path certificate = directory.resolve("zk.crt");
        keytool("-genkeypair", "-alias", "zk", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-keystore", keyStore.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-alias", "zk", "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "zk", "-file", certificate.toString(), "-keystore", trustStore.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD);

        int port = startSecureServer("-Dzookeeper.ssl.keyStore.location=" + keyStore, "-Dzookeeper.ssl.keyStore.password=" + PASSWORD,
                "-Dzookeeper.ssl.trustStore.location=" + trustStore, "-Dzookeeper.ssl.trustStore.password=" + PASSWORD);

        ZooKeeperBackendSettings settings = ZooKeeperBackendSettings.builder("127.0.0.1:" + port)
                .sessionTimeout(Duration.ofSeconds(6))
                .tls(new ZooKeeperBackendSettings.Tls(keyStore, PASSWORD, trustStore, PASSWORD)).build();
        List<Election> candidates = new ArrayList<>();
        for (String id : List.of("a", "b")) {
            ZooKeeperElectionBackend backend = new ZooKeeperElectionBackend(settings);
            closeables.add(backend);
            Election election = backend.election("tls", id);
            election.start();
            candidates.add(election);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> candidates.stream().filter(Election::isLeader).count() == 1);
        Election leader = candidates.stream().filter(Election::isLeader).findFirst().orElseThrow();
        Election follower = candidates.get(0) == leader ? candidates.get(1) : candidates.get(0);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(follower.leaderId()).contains(leader.candidateId()));
        leader.close();
        await().atMost(Duration.ofSeconds(2)).until(follower::isLeader);
    }

    @Test
    void runWhenSslBundleSetShouldElectOverTlsWithItsClientCertificate() throws Exception {
        ApplicationContextRunner runner = bundleRunner(startServerAskingForClientCertificates());
        runner.withPropertyValues("leader.zookeeper.ssl.bundle=client").run(context -> {
            assertThat(context).hasNotFailed();
            Election election = context.getBean(ElectionRegistry.class).defaultElection();
            await().atMost(Duration.ofSeconds(20)).until(election::isLeader);
            assertThat(election.leadership().orElseThrow().fencingToken()).isPositive();
        });
    }

    @Test
    void runWhenSslBundleHasNoClientCertificateShouldNotReachAServerThatAsksForOne() throws Exception {
        ApplicationContextRunner runner = bundleRunner(startServerAskingForClientCertificates());
        runner.withPropertyValues("leader.zookeeper.ssl.bundle=trust-only").run(context -> {
            assertThat(context).hasNotFailed();
            ElectionBackend backend = context.getBean(ElectionBackend.class);
            Election election = context.getBean(ElectionRegistry.class).defaultElection();
            // A refused handshake looks like a server that is down: nothing to wait for but time.
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                    .until(() -> !backend.status().reachable() && !election.isLeader());
        });
    }

    @Test
    void runWhenSslBundleUnknownShouldFailNamingProperty() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(LeaderAutoConfiguration.class, SslAutoConfiguration.class))
                .withPropertyValues("leader.zookeeper.connect-string=127.0.0.1:1", "leader.zookeeper.ssl.bundle=missing")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .isInstanceOfSatisfying(InvalidSettingException.class, ex -> {
                            assertThat(ex.property()).isEqualTo("leader.zookeeper.ssl.bundle");
                            assertThat(ex.value()).isEqualTo("missing");
                        }));
    }

    @Test
    void runWhenSslBundleAndStoreFilesBothSetShouldFailNamingProperty() throws Exception {
        ApplicationContextRunner runner = bundleRunner(ServerProcess.freePort());
        runner.withPropertyValues("leader.zookeeper.ssl.bundle=client", "leader.zookeeper.tls.trust-store=" + directory.resolve("trust.p12"))
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .isInstanceOfSatisfying(InvalidSettingException.class,
                                ex -> assertThat(ex.property()).isEqualTo("leader.zookeeper.ssl.bundle")));
    }

    /** A server with PEM files of the test's own CA, asking every client for a certificate it signed. */
    private int startServerAskingForClientCertificates() throws IOException {
        Path serverPem = directory.resolve("server.pem");
        Files.writeString(serverPem, Files.readString(certificates.serverKey()) + Files.readString(certificates.serverCertificate()));
        return startSecureServer("-Dzookeeper.ssl.keyStore.location=" + serverPem, "-Dzookeeper.ssl.keyStore.type=PEM",
                "-Dzookeeper.ssl.trustStore.location=" + certificates.caCertificate(), "-Dzookeeper.ssl.trustStore.type=PEM",
                "-Dzookeeper.ssl.clientAuth=need");
    }

    private ApplicationContextRunner bundleRunner(int port) {
        String ca = "file:" + certificates.caCertificate();
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LeaderAutoConfiguration.class, SslAutoConfiguration.class))
                .withPropertyValues("leader.zookeeper.connect-string=127.0.0.1:" + port, "leader.lease-duration=2s",
                        "spring.ssl.bundle.pem.client.keystore.certificate=file:" + certificates.clientCertificate(),
                        "spring.ssl.bundle.pem.client.keystore.private-key=file:" + certificates.clientKey(),
                        "spring.ssl.bundle.pem.client.truststore.certificate=" + ca,
                        "spring.ssl.bundle.pem.trust-only.truststore.certificate=" + ca);
    }

    /** A server JVM with only a secure client port, configured by {@code sslProperties}; its port. */
    private int startSecureServer(String... sslProperties) throws IOException {
        ZooKeeperEnsemble server = ZooKeeperEnsemble.builder(1).tickMillis(50).secure().addJvmOptions(sslProperties).start();
        closeables.add(server);
        return server.server(0).port();
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }
}
