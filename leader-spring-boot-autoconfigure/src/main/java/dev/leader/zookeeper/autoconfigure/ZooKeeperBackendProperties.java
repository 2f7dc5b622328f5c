package dev.leader.zookeeper.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The ZooKeeper backend. */
@ConfigurationProperties("leader.zookeeper")
public class ZooKeeperBackendProperties {

    /** Servers as host:port[,host:port...][/chroot], e.g. zk1:2181,zk2:2181/apps. */
    private @Nullable String connectString;

    /** Parent node of all elections. Defaults to /leader. */
    private @Nullable String root;

    /** Session timeout. Defaults to leader.lease-duration. */
    private @Nullable Duration sessionTimeout;

    /** Digest authentication as user:password; nodes then get the creator-only ACL. */
    private @Nullable String auth;

    private final Ssl ssl = new Ssl();

    private final Tls tls = new Tls();

    public @Nullable String getConnectString() {
        return connectString;
    }

    public void setConnectString(@Nullable String connectString) {
        this.connectString = connectString;
    }

    public @Nullable String getRoot() {
        return root;
    }

    public void setRoot(@Nullable String root) {
        this.root = root;
    }

    public @Nullable Duration getSessionTimeout() {
        return sessionTimeout;
    }

    public void setSessionTimeout(@Nullable Duration sessionTimeout) {
        this.sessionTimeout = sessionTimeout;
    }

    public @Nullable String getAuth() {
        return auth;
    }

    public void setAuth(@Nullable String auth) {
        this.auth = auth;
    }

    public Ssl getSsl() {
        return ssl;
    }

    public Tls getTls() {
        return tls;
    }

    /** TLS to the ZooKeeper servers (Netty client socket) with an SSL bundle. */
    public static class Ssl {

        /**
         * Name of the SSL bundle (spring.ssl.bundle.*) whose key and trust material the client
         * uses; it turns TLS on. Not together with leader.zookeeper.tls.*.
         */
        private @Nullable String bundle;

        public @Nullable String getBundle() {
            return bundle;
        }

        public void setBundle(@Nullable String bundle) {
            this.bundle = bundle;
        }
    }

    /**
     * TLS to the ZooKeeper servers (Netty client socket) with store files; on when a store is
     * set. An SSL bundle (leader.zookeeper.ssl.bundle) is the preferred way.
     */
    public static class Tls {

        /** Client key store (PKCS12 or JKS by extension), when the servers ask for client certificates. */
        private @Nullable Path keyStore;

        /** Password of the client key store. */
        private @Nullable String keyStorePassword;

        /** Trust store with the servers' CA; the JVM default trust when unset. */
        private @Nullable Path trustStore;

        /** Password of the trust store. */
        private @Nullable String trustStorePassword;

        boolean isEnabled() {
            return keyStore != null || trustStore != null;
        }

        public @Nullable Path getKeyStore() {
            return keyStore;
        }

        public void setKeyStore(@Nullable Path keyStore) {
            this.keyStore = keyStore;
        }

        public @Nullable String getKeyStorePassword() {
            return keyStorePassword;
        }

        public void setKeyStorePassword(@Nullable String keyStorePassword) {
            this.keyStorePassword = keyStorePassword;
        }

        public @Nullable Path getTrustStore() {
            return trustStore;
        }

        public void setTrustStore(@Nullable Path trustStore) {
            this.trustStore = trustStore;
        }

        public @Nullable String getTrustStorePassword() {
            return trustStorePassword;
        }

        public void setTrustStorePassword(@Nullable String trustStorePassword) {
            this.trustStorePassword = trustStorePassword;
        }
    }
}
