package dev.leader.zookeeper.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where the ZooKeeper backend connects. Defaults to {@code leader.zookeeper.connect-string};
 * a bean of this type (a Testcontainers service connection, say) takes its place.
 */
public interface ZooKeeperConnectionDetails extends ConnectionDetails {

    /** {@code host:port[,host:port...][/chroot]}, null when not configured. */
    @Nullable String connectString();
}
