package dev.leader.etcd.autoconfigure;

import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where the etcd backend connects. Defaults to {@code leader.etcd.*}; a bean of this type takes
 * its place.
 */
public interface EtcdConnectionDetails extends ConnectionDetails {

    /** Client URLs of the cluster members; empty when not configured. */
    List<URI> endpoints();

    /** User name when etcd authentication is on. */
    default @Nullable String user() {
        return null;
    }

    /** Password when etcd authentication is on. */
    default @Nullable String password() {
        return null;
    }
}
