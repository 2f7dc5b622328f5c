package dev.leader.autoconfigure;

import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The connection details that {@code leader.*} properties describe. */
final class PropertiesConnectionDetails {

    private PropertiesConnectionDetails() {
    }

    record ZooKeeper(@Nullable String connectString) implements ZooKeeperConnectionDetails {

        ZooKeeper(LeaderProperties properties) {
            this(properties.getZookeeper().getConnectString());
        }
    }

    record Etcd(List<URI> endpoints, @Nullable String user, @Nullable String password) implements EtcdConnectionDetails {

        Etcd(LeaderProperties properties) {
            this(properties.getEtcd().getEndpoints().stream().map(String::trim).map(URI::create).toList(),
                    properties.getEtcd().getUser(), properties.getEtcd().getPassword());
        }
    }
}
