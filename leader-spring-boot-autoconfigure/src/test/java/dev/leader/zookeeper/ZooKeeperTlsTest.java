package dev.leader.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import dev.leader.election.Election;
import org.apache.zookeeper.server.ZooKeeperServerMain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Elections over TLS only: a server JVM with just a secure client port, certificates made by keytool. */
class ZooKeeperTlsTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    Path directory;

    private final List<AutoCloseable> closeables = new ArrayList<>();

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

        int port = ZooKeeperTestServer.freePort();
        Path config = directory.resolve("zoo.cfg");
        Files.writeString(config, String.join("\n", "tickTime=50", "dataDir=" + Files.createDirectories(directory.resolve("data")),
                "secureClientPort=" + port, "secureClientPortAddress=127.0.0.1", "minSessionTimeout=100",
                "maxSessionTimeout=60000", "admin.enableServer=false") + "\n");
        Process server = JavaProcesses.java(List.of(
                "-Dzookeeper.serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory",
                "-Dzookeeper.ssl.keyStore.location=" + keyStore, "-Dzookeeper.ssl.keyStore.password=" + PASSWORD,
                "-Dzookeeper.ssl.trustStore.location=" + trustStore, "-Dzookeeper.ssl.trustStore.password=" + PASSWORD),
                ZooKeeperServerMain.class, List.of(config.toString()))
                .redirectErrorStream(true).redirectOutput(directory.resolve("server.log").toFile()).start();
        closeables.add(() -> server.destroyForcibly().waitFor());

        ZooKeeperBackendSettings settings = ZooKeeperBackendSettings.builder("127.0.0.1:" + port)
                .sessionTimeout(Duration.ofSeconds(2))
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
