package dev.leader.test.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import dev.leader.spring.ElectionRegistry;
import dev.leader.etcd.autoconfigure.EtcdConnectionDetails;
import dev.leader.zookeeper.autoconfigure.ZooKeeperConnectionDetails;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Configuration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * {@code @ServiceConnection} on real containers. Skipped, with Testcontainers' own reason,
 * where no Docker engine runs (as on this project's CI); the factories' registration is checked
 * everywhere.
 */
class ServiceConnectionTests {

    @Test
    void factoriesAreRegisteredForBootsServiceConnections() {
        // Loaded as Boot loads them: a factory whose optional library is absent (Docker Compose's) is skipped.
        assertThat(org.springframework.core.io.support.SpringFactoriesLoader.forDefaultResourceLocation()
                .load(org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactory.class,
                        org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler.handleMessage((message, failure) -> {
                        })))
                .hasAtLeastOneElementOfType(ZooKeeperContainerConnectionDetailsFactory.class)
                .hasAtLeastOneElementOfType(EtcdContainerConnectionDetailsFactory.class);
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(dev.leader.autoconfigure.LeaderAutoConfiguration.class)
    static class App {
    }

    @Nested
    @Testcontainers(disabledWithoutDocker = true)
    @SpringBootTest(classes = App.class, properties = "leader.backend=zookeeper")
    class ZooKeeperContainer {

        @Container
        @ServiceConnection
        static final GenericContainer<?> zookeeper = new GenericContainer<>("zookeeper:3.9").withExposedPorts(2181);

        @Autowired
        ZooKeeperConnectionDetails details;

        @Autowired
        ElectionRegistry registry;

        @Test
        void electsThroughTheContainer() {
            assertThat(details.connectString()).endsWith(":" + zookeeper.getMappedPort(2181));
            await().atMost(Duration.ofSeconds(30)).until(() -> registry.defaultElection().isLeader());
        }
    }

    @Nested
    @Testcontainers(disabledWithoutDocker = true)
    @SpringBootTest(classes = App.class, properties = "leader.backend=etcd")
    class EtcdContainer {

        @Container
        @ServiceConnection(name = "etcd")
        static final GenericContainer<?> etcd = new GenericContainer<>("quay.io/coreos/etcd:v3.5.17")
                .withCommand("etcd", "--listen-client-urls=http://0.0.0.0:2379", "--advertise-client-urls=http://127.0.0.1:2379")
                .withExposedPorts(2379);

        @Autowired
        EtcdConnectionDetails details;

        @Autowired
        ElectionRegistry registry;

        @Test
        void electsThroughTheContainer() {
            assertThat(details.endpoints()).hasSize(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> registry.defaultElection().isLeader());
        }
    }
}
