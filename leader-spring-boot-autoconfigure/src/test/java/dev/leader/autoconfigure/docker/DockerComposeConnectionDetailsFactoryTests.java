package dev.leader.autoconfigure.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import dev.leader.etcd.autoconfigure.EtcdConnectionDetails;
import dev.leader.zookeeper.autoconfigure.ZooKeeperConnectionDetails;
import dev.leader.spring.ElectionRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactories;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.docker.compose.core.ConnectionPorts;
import org.springframework.boot.docker.compose.core.ImageReference;
import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.ReflectionUtils;

/**
 * ZooKeeper and etcd services of Docker Compose: which services match and what they map to (runs
 * everywhere), and a real compose file started by Boot (only where a Docker engine runs).
 */
class DockerComposeConnectionDetailsFactoryTests {

    @TempDir
    Path work;

    /** A running service as Docker Compose describes it: what Boot hands to the factories. */
    record Service(String imageName, String host, Map<Integer, Integer> mapped, Map<String, String> env,
            Map<String, String> labels) implements RunningService {

        @Override
        public String name() {
            return "service";
        }

        @Override
        public ImageReference image() {
            return ImageReference.of(imageName);
        }

        @Override
        public ConnectionPorts ports() {
            return new ConnectionPorts() {
                @Override
                public int get(int containerPort) {
                    return mapped.get(containerPort);
                }

                @Override
                public List<Integer> getAll() {
                    return List.copyOf(mapped.values());
                }

                @Override
                public List<Integer> getAll(String protocol) {
                    return getAll();
                }
            };
        }
    }

    private static <D> D detailsFor(Service service, Class<D> type) {
        ConnectionDetailsFactories factories = new ConnectionDetailsFactories(DockerComposeConnectionDetailsFactoryTests.class.getClassLoader());
        Map<Class<?>, ?> details = factories.getConnectionDetails(source(service), false);
        return type.cast(details.get(type));
    }

    private static DockerComposeConnectionSource source(RunningService service) {
        try {
            Constructor<DockerComposeConnectionSource> constructor = ReflectionUtils.accessibleConstructor(
                    DockerComposeConnectionSource.class, RunningService.class, org.springframework.core.env.Environment.class);
            return constructor.newInstance(service, new StandardEnvironment());
        }
        catch (ReflectiveOperationException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Test
    void zooKeeperImagesMapToAConnectString() {
        for (String image : List.of("zookeeper:3.9", "bitnami/zookeeper:3.9", "confluentinc/cp-zookeeper:7.6.0",
                "docker.io/library/zookeeper")) {
            ZooKeeperConnectionDetails details = detailsFor(new Service(image, "127.0.0.1", Map.of(2181, 32781), Map.of(),
                    Map.of()), ZooKeeperConnectionDetails.class);
            assertThat(details).as(image).isNotNull();
            assertThat(details.connectString()).isEqualTo("127.0.0.1:32781");
        }
    }

    @Test
    void etcdImagesMapToAnEndpointAndTheRootPassword() {
        for (String image : List.of("quay.io/coreos/etcd:v3.5.17", "bitnami/etcd:3.5", "gcr.io/etcd-development/etcd:v3.5.17")) {
            EtcdConnectionDetails details = detailsFor(new Service(image, "docker.local", Map.of(2379, 32779), Map.of(),
                    Map.of()), EtcdConnectionDetails.class);
            assertThat(details).as(image).isNotNull();
            assertThat(details.endpoints()).containsExactly(URI.create("http://docker.local:32779"));
            assertThat(details.user()).isNull();
        }
        EtcdConnectionDetails secured = detailsFor(new Service("bitnami/etcd", "127.0.0.1", Map.of(2379, 2379),
                Map.of("ETCD_ROOT_PASSWORD", "s3cret"), Map.of()), EtcdConnectionDetails.class);
        assertThat(secured.user()).isEqualTo("root");
        assertThat(secured.password()).isEqualTo("s3cret");
    }

    @Test
    void aLabelNamesTheServiceOfAnyImage() {
        Service custom = new Service("example/coordination:1", "127.0.0.1", Map.of(2181, 40000), Map.of(),
                Map.of("org.springframework.boot.service-connection", "zookeeper"));
        assertThat(detailsFor(custom, ZooKeeperConnectionDetails.class).connectString()).isEqualTo("127.0.0.1:40000");
    }

    @Test
    void otherImagesDoNotMatch() {
        Service redis = new Service("redis:7", "127.0.0.1", Map.of(6379, 6379), Map.of(), Map.of());
        assertThat(detailsFor(redis, ZooKeeperConnectionDetails.class)).isNull();
        assertThat(detailsFor(redis, EtcdConnectionDetails.class)).isNull();
    }

    @Test
    @EnabledIf("dockerEngineRuns")
    void aComposeFilesZooKeeperServiceIsElectedThrough() throws IOException {
        Path compose = Files.writeString(work.resolve("compose.yaml"), """
                services:
                  zookeeper:
                    image: zookeeper:3.9
                    ports:
                      - '2181'
                """);
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("spring.docker.compose.file=" + compose, "spring.docker.compose.lifecycle-management=start-and-stop",
                        "spring.docker.compose.skip.in-tests=false",
                        "leader.backend=zookeeper")
                .run()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> context.getBean(ElectionRegistry.class).defaultElection().isLeader());
        }
    }

    static boolean dockerEngineRuns() {
        try {
            Process info = new ProcessBuilder("docker", "info").redirectErrorStream(true).start();
            return info.waitFor(20, TimeUnit.SECONDS) && info.exitValue() == 0;
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(dev.leader.autoconfigure.LeaderAutoConfiguration.class)
    static class App {
    }
}
