package dev.leader.zookeeper.autoconfigure;

import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionDetailsFactory;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSource;

/**
 * A ZooKeeper service of Docker Compose (images {@code zookeeper}, {@code bitnami/zookeeper},
 * {@code confluentinc/cp-zookeeper}, or a service labelled
 * {@code org.springframework.boot.service-connection: zookeeper}), client port 2181.
 */
class ZooKeeperDockerComposeConnectionDetailsFactory
        extends DockerComposeConnectionDetailsFactory<ZooKeeperConnectionDetails> {

    static final int CLIENT_PORT = 2181;

    ZooKeeperDockerComposeConnectionDetailsFactory() {
        super(new String[] { "zookeeper", "bitnami/zookeeper", "confluentinc/cp-zookeeper" });
    }

    @Override
    protected ZooKeeperConnectionDetails getDockerComposeConnectionDetails(DockerComposeConnectionSource source) {
        return new Details(source.getRunningService());
    }

    static final class Details extends DockerComposeConnectionDetails implements ZooKeeperConnectionDetails {

        private final String connectString;

        Details(RunningService service) {
            super(service);
            this.connectString = service.host() + ":" + service.ports().get(CLIENT_PORT);
        }

        @Override
        public String connectString() {
            return connectString;
        }
    }
}
