package dev.leader.test.testcontainers;

import java.net.URI;
import java.util.List;
import dev.leader.etcd.autoconfigure.EtcdConnectionDetails;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;
import org.testcontainers.containers.Container;

/**
 * {@code @ServiceConnection} for an etcd container (an image named {@code etcd}, or any image
 * with {@code @ServiceConnection(name = "etcd")}), client port 2379 over http.
 */
class EtcdContainerConnectionDetailsFactory extends ContainerConnectionDetailsFactory<Container<?>, EtcdConnectionDetails> {

    static final int CLIENT_PORT = 2379;

    EtcdContainerConnectionDetailsFactory() {
        super("etcd");
    }

    @Override
    protected EtcdConnectionDetails getContainerConnectionDetails(ContainerConnectionSource<Container<?>> source) {
        return new Details(source);
    }

    static final class Details extends ContainerConnectionDetails<Container<?>> implements EtcdConnectionDetails {

        Details(ContainerConnectionSource<Container<?>> source) {
            super(source);
        }

        @Override
        public List<URI> endpoints() {
            return List.of(URI.create("http://" + getContainer().getHost() + ":" + getContainer().getMappedPort(CLIENT_PORT)));
        }
    }
}
