package dev.leader.etcd.autoconfigure;

import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionDetailsFactory;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSource;

/**
 * An etcd service of Docker Compose (images {@code etcd}, {@code coreos/etcd},
 * {@code bitnami/etcd}, {@code etcd-development/etcd}, or a service labelled
 * {@code org.springframework.boot.service-connection: etcd}), client port 2379 over http. The
 * root user's password is taken from the Bitnami image's {@code ETCD_ROOT_PASSWORD}, if set.
 */
class EtcdDockerComposeConnectionDetailsFactory extends DockerComposeConnectionDetailsFactory<EtcdConnectionDetails> {

    static final int CLIENT_PORT = 2379;

    EtcdDockerComposeConnectionDetailsFactory() {
        super(new String[] { "etcd", "coreos/etcd", "bitnami/etcd", "etcd-development/etcd" });
    }

    @Override
    protected EtcdConnectionDetails getDockerComposeConnectionDetails(DockerComposeConnectionSource source) {
        return new Details(source.getRunningService());
    }

    static final class Details extends DockerComposeConnectionDetails implements EtcdConnectionDetails {

        private final List<URI> endpoints;

        private final @Nullable String password;

        Details(RunningService service) {
            super(service);
            this.endpoints = List.of(URI.create("http://" + service.host() + ":" + service.ports().get(CLIENT_PORT)));
            this.password = service.env().get("ETCD_ROOT_PASSWORD");
        }

        @Override
        public List<URI> endpoints() {
            return endpoints;
        }

        @Override
        public @Nullable String user() {
            return password != null ? "root" : null;
        }

        @Override
        public @Nullable String password() {
            return password;
        }
    }
}
