package dev.leader.test.testcontainers;

import dev.leader.zookeeper.autoconfigure.ZooKeeperConnectionDetails;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;
import org.testcontainers.containers.Container;

/**
 * {@code @ServiceConnection} for a ZooKeeper container (image {@code zookeeper}, or any image
 * with {@code @ServiceConnection(name = "zookeeper")}), client port 2181.
 */
class ZooKeeperContainerConnectionDetailsFactory
        extends ContainerConnectionDetailsFactory<Container<?>, ZooKeeperConnectionDetails> {

    static final int CLIENT_PORT = 2181;

    ZooKeeperContainerConnectionDetailsFactory() {
        super("zookeeper");
    }

    @Override
    protected ZooKeeperConnectionDetails getContainerConnectionDetails(ContainerConnectionSource<Container<?>> source) {
        return new Details(source);
    }

    static final class Details extends ContainerConnectionDetails<Container<?>> implements ZooKeeperConnectionDetails {

        Details(ContainerConnectionSource<Container<?>> source) {
            super(source);
        }

        @Override
        public String connectString() {
            return getContainer().getHost() + ":" + getContainer().getMappedPort(CLIENT_PORT);
        }
    }
}
