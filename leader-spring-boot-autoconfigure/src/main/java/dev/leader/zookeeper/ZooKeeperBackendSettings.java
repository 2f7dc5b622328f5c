package dev.leader.zookeeper;

import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import dev.leader.election.HostPorts;
import dev.leader.election.InvalidSettingException;
import dev.leader.election.LeaseDeadline;
import org.jspecify.annotations.Nullable;

/**
 * Everything the ZooKeeper backend needs, validated once. Build with {@link #builder(String)};
 * every setting is named after the {@code leader.zookeeper.*} property it comes from.
 *
 * @param connectString {@code host:port[,host:port...][/chroot]}; the chroot node must exist
 * @param root the parent of all election nodes, e.g. {@code /leader}
 * @param sessionTimeout the requested session timeout; the lease leaders believe in is derived
 * from it (2/3 of it after the last confirmed contact)
 * @param digestAuth {@code user:password} for ZooKeeper's digest scheme, or null; when set,
 * nodes get the creator-only ACL
 * @param tls TLS to the servers with key and trust store files, or null
 * @param ssl TLS to the servers with key material in memory (an SSL bundle's), or null; not
 * together with {@code tls}. Both null: plain TCP
 */
public record ZooKeeperBackendSettings(String connectString, String root, Duration sessionTimeout,
        @Nullable String digestAuth, @Nullable Tls tls, @Nullable SslStores ssl) {

    public static final String DEFAULT_ROOT = "/leader";

    static final Duration MIN_SESSION_TIMEOUT = Duration.ofMillis(100);

    static final Duration MAX_SESSION_TIMEOUT = Duration.ofHours(1);

    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._-]+)+");

    /**
     * TLS to the servers, through the Netty client socket.
     *
     * @param keyStore client key store (PKCS12/JKS by extension), or null when the servers
     * do not ask for client certificates
     * @param trustStore trust store with the servers' CA, or null for the JVM default
     */
    public record Tls(@Nullable Path keyStore, @Nullable String keyStorePassword, @Nullable Path trustStore,
            @Nullable String trustStorePassword) {

        /** Without the passwords: settings end up in logs and failure reports. */
        @Override
        public String toString() {
            return "Tls[keyStore=" + keyStore + ", trustStore=" + trustStore + "]";
        }
    }

    /**
     * TLS to the servers, through the Netty client socket, with key material held in memory.
     *
     * @param keyStore the client's key and certificate chain, or null when the servers do not
     * ask for client certificates
     * @param keyPassword password of the key entries of {@code keyStore}
     * @param keyAlias the key entry to present, or null for every key entry of the store
     * @param trustStore the servers' CA, or null for the JVM default
     * @param protocols the TLS protocols to enable, or null for ZooKeeper's default
     * @param ciphers the cipher suites to enable, or null for ZooKeeper's default
     */
    public record SslStores(@Nullable KeyStore keyStore, @Nullable String keyPassword, @Nullable String keyAlias,
            @Nullable KeyStore trustStore, @Nullable List<String> protocols, @Nullable List<String> ciphers) {

        /** Without the password: settings end up in logs and failure reports. */
        @Override
        public String toString() {
            return "SslStores[keyAlias=" + keyAlias + ", protocols=" + protocols + ", ciphers=" + ciphers + "]";
        }
    }

    public ZooKeeperBackendSettings {
        Objects.requireNonNull(connectString, "connectString");
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        validateConnectString(connectString);
        if (!PATH.matcher(root).matches()) {
            throw new InvalidSettingException("leader.zookeeper.root", root,
                    "an absolute node path below / such as /leader (segments of letters, digits, '.', '_', '-'; no trailing '/')");
        }
        if (sessionTimeout.compareTo(MIN_SESSION_TIMEOUT) < 0 || sessionTimeout.compareTo(MAX_SESSION_TIMEOUT) > 0) {
            throw new InvalidSettingException("leader.zookeeper.session-timeout", sessionTimeout, MIN_SESSION_TIMEOUT.toMillis()
                    + "ms to 1h (it defaults to leader.lease-duration; the server may clamp it to [2, 20] ticks)");
        }
        if (digestAuth != null) {
            int colon = digestAuth.indexOf(':');
            if (colon <= 0 || colon == digestAuth.length() - 1) {
                throw new InvalidSettingException("leader.zookeeper.auth", "******", "user:password for the digest scheme");
            }
        }
        if (tls != null && ssl != null) {
            throw new InvalidSettingException("leader.zookeeper.ssl.bundle", ssl,
                    "either an SSL bundle or key and trust store files (leader.zookeeper.tls.*), not both");
        }
        if (tls != null && tls.keyStore() != null && tls.keyStorePassword() == null) {
            throw new InvalidSettingException("leader.zookeeper.tls.key-store-password", null,
                    "the password of leader.zookeeper.tls.key-store");
        }
    }

    private static void validateConnectString(String connectString) {
        String allowed = "host:port[,host:port...][/chroot], e.g. zk1:2181,zk2:2181/apps (ports 1 to 65535)";
        String hosts = connectString;
        int slash = connectString.indexOf('/');
        if (slash >= 0) {
            hosts = connectString.substring(0, slash);
            if (!PATH.matcher(connectString.substring(slash)).matches()) {
                throw new InvalidSettingException("leader.zookeeper.connect-string", connectString, allowed);
            }
        }
        if (hosts.isBlank()) {
            throw new InvalidSettingException("leader.zookeeper.connect-string", connectString, allowed);
        }
        for (String host : hosts.split(",", -1)) {
            if (!HostPorts.isValid(host.trim())) {
                throw new InvalidSettingException("leader.zookeeper.connect-string", connectString, allowed);
            }
        }
    }

    /** Without the digest password: settings end up in logs and failure reports. */
    @Override
    public String toString() {
        String user = digestAuth == null ? null : digestAuth.substring(0, digestAuth.indexOf(':'));
        return "ZooKeeperBackendSettings[connectString=" + connectString + ", root=" + root + ", sessionTimeout="
                + sessionTimeout + ", digestUser=" + user + ", tls=" + tls + ", ssl=" + ssl + "]";
    }

    public static Builder builder(String connectString) {
        return new Builder(connectString);
    }

    /** Path of the parent node of one election's candidates. */
    String electionPath(String election) {
        return root + "/" + election;
    }

    /** Builder; {@code sessionTimeout} wins over {@code leaseDuration} when both are set. */
    public static final class Builder {

        private final String connectString;

        private String root = DEFAULT_ROOT;

        private @Nullable Duration leaseDuration;

        private @Nullable Duration sessionTimeout;

        private @Nullable String digestAuth;

        private @Nullable Tls tls;

        private @Nullable SslStores ssl;

        private Builder(String connectString) {
            this.connectString = connectString;
        }

        public Builder root(String root) {
            this.root = root;
            return this;
        }

        /** {@code leader.lease-duration}: the session timeout unless one is set explicitly. */
        public Builder leaseDuration(@Nullable Duration leaseDuration) {
            this.leaseDuration = leaseDuration;
            return this;
        }

        /** {@code leader.zookeeper.session-timeout}: overrides the lease duration. */
        public Builder sessionTimeout(@Nullable Duration sessionTimeout) {
            this.sessionTimeout = sessionTimeout;
            return this;
        }

        /** {@code leader.zookeeper.auth}: {@code user:password}. */
        public Builder digestAuth(@Nullable String userColonPassword) {
            this.digestAuth = userColonPassword;
            return this;
        }

        public Builder tls(@Nullable Tls tls) {
            this.tls = tls;
            return this;
        }

        /** {@code leader.zookeeper.ssl.bundle}: TLS with an SSL bundle's key material. */
        public Builder ssl(@Nullable SslStores ssl) {
            this.ssl = ssl;
            return this;
        }

        public ZooKeeperBackendSettings build() {
            Duration timeout = sessionTimeout != null ? sessionTimeout
                    : leaseDuration != null ? leaseDuration : LeaseDeadline.DEFAULT_LEASE;
            return new ZooKeeperBackendSettings(connectString, root, timeout, digestAuth, tls, ssl);
        }
    }
}
