package dev.leader.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import dev.leader.election.ElectionNames;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Leader election settings. Every value is checked once, when the application starts; a bad
 * one stops the start-up with a message naming the property and what it accepts.
 */
@ConfigurationProperties("leader")
public class LeaderProperties implements InitializingBean {

    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9._-]+):(\\d{1,5})");

    /** Whether leader election is enabled. When false, no election runs and nothing is guarded. */
    private boolean enabled = true;

    /**
     * The coordination backend: local, zookeeper, redis, etcd or lan. When unset, it is inferred
     * from which leader.<backend>.* address is set, else local (this host only).
     */
    private @Nullable String backend;

    /**
     * Name of the default election, used by @LeaderOnly without a value. Defaults to
     * spring.application.name, else "default".
     */
    private @Nullable String election;

    /** This participant's id, unique among candidates. Defaults to hostname:pid:random. */
    private @Nullable String candidateId;

    /**
     * How long a leader's claim lasts without a confirmed renewal: the ZooKeeper session
     * timeout, the Redis key expiry, the etcd lease TTL, the LAN peer expiry. Crash failover
     * takes about this long; graceful hand-off does not wait for it.
     */
    private Duration leaseDuration = Duration.ofSeconds(10);

    /**
     * On shutdown, how long to wait for running @LeaderOnly calls to finish before releasing
     * leadership, so that the next leader never overlaps them.
     */
    private Duration shutdownTimeout = Duration.ofSeconds(10);

    private final Local local = new Local();

    private final Zookeeper zookeeper = new Zookeeper();

    private final Redis redis = new Redis();

    private final Etcd etcd = new Etcd();

    private final Lan lan = new Lan();

    @Override
    public void afterPropertiesSet() {
        validate();
    }

    /** Checks every value; throws {@link LeaderConfigurationException} for the first bad one. */
    public void validate() {
        if (backend != null && !backend.isBlank() && BackendType.fromId(backend).isEmpty()) {
            throw LeaderConfigurationException.invalidValue("leader.backend", backend, "one of " + BackendType.allowedValues());
        }
        if (election != null && !ElectionNames.isValid(election)) {
            throw LeaderConfigurationException.invalidValue("leader.election", election, ElectionNames.ALLOWED);
        }
        if (candidateId != null && (candidateId.isBlank() || candidateId.chars().anyMatch(Character::isISOControl))) {
            throw LeaderConfigurationException.invalidValue("leader.candidate-id", candidateId,
                    "a non-blank id without control characters");
        }
        requirePositive("leader.lease-duration", leaseDuration);
        if (shutdownTimeout == null || shutdownTimeout.isNegative()) {
            throw LeaderConfigurationException.invalidValue("leader.shutdown-timeout", shutdownTimeout, "a duration of zero or more, e.g. 10s");
        }
        zookeeper.validate();
        redis.validate();
        etcd.validate();
        lan.validate();
    }

    private static void requirePositive(String property, @Nullable Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw LeaderConfigurationException.invalidValue(property, value, "a positive duration, e.g. 10s or 500ms");
        }
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public @Nullable String getBackend() {
        return backend;
    }

    public void setBackend(@Nullable String backend) {
        this.backend = backend;
    }

    public @Nullable String getElection() {
        return election;
    }

    public void setElection(@Nullable String election) {
        this.election = election;
    }

    public @Nullable String getCandidateId() {
        return candidateId;
    }

    public void setCandidateId(@Nullable String candidateId) {
        this.candidateId = candidateId;
    }

    public Duration getLeaseDuration() {
        return leaseDuration;
    }

    public void setLeaseDuration(Duration leaseDuration) {
        this.leaseDuration = leaseDuration;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public Local getLocal() {
        return local;
    }

    public Zookeeper getZookeeper() {
        return zookeeper;
    }

    public Redis getRedis() {
        return redis;
    }

    public Etcd getEtcd() {
        return etcd;
    }

    public Lan getLan() {
        return lan;
    }

    /** The local file-lock backend. */
    public static class Local {

        /** Directory of the lock files, shared by every instance on this host. Defaults to ${java.io.tmpdir}/leader. */
        private Path directory = Path.of(System.getProperty("java.io.tmpdir"), "leader");

        public Path getDirectory() {
            return directory;
        }

        public void setDirectory(Path directory) {
            this.directory = directory;
        }
    }

    /** The ZooKeeper backend. */
    public static class Zookeeper {

        /** Servers as host:port[,host:port...][/chroot], e.g. zk1:2181,zk2:2181/apps. */
        private @Nullable String connectString;

        /** Parent node of all elections. */
        private String root = "/leader";

        /** Session timeout; defaults to leader.lease-duration. */
        private @Nullable Duration sessionTimeout;

        /** Digest authentication as user:password; nodes then get the creator-only ACL. */
        private @Nullable String auth;

        private final ZookeeperTls tls = new ZookeeperTls();

        public ZookeeperTls getTls() {
            return tls;
        }

        void validate() {
            if (connectString != null) {
                String servers = connectString.contains("/") ? connectString.substring(0, connectString.indexOf('/')) : connectString;
                String chroot = connectString.contains("/") ? connectString.substring(connectString.indexOf('/')) : null;
                if (servers.isBlank() || !allHostPorts(servers.split(",")) || (chroot != null && !isZnodePath(chroot))) {
                    throw LeaderConfigurationException.invalidValue("leader.zookeeper.connect-string", connectString,
                            "host:port[,host:port...][/chroot], e.g. localhost:2181");
                }
            }
            if (!isZnodePath(root)) {
                throw LeaderConfigurationException.invalidValue("leader.zookeeper.root", root, "an absolute node path such as /leader");
            }
            if (sessionTimeout != null) {
                requirePositive("leader.zookeeper.session-timeout", sessionTimeout);
            }
            if (auth != null && !auth.contains(":")) {
                throw LeaderConfigurationException.invalidValue("leader.zookeeper.auth", "******", "user:password");
            }
        }

        private static boolean isZnodePath(String path) {
            return path.startsWith("/") && (path.length() == 1 || !path.endsWith("/")) && !path.contains("//");
        }

        public @Nullable String getConnectString() {
            return connectString;
        }

        public void setConnectString(@Nullable String connectString) {
            this.connectString = connectString;
        }

        public String getRoot() {
            return root;
        }

        public void setRoot(String root) {
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
    }

    /** TLS to the ZooKeeper servers (Netty client socket); on when a store is set. */
    public static class ZookeeperTls {

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

    /** The Redis backend. */
    public static class Redis {

        /**
         * Redis URI: redis://[user:password@]host:port[/database], rediss:// for TLS,
         * redis-sentinel://host:port[,host:port]/database#master, redis-cluster://host:port,host:port.
         * Defaults to the application's Spring Data Redis connection when it has one.
         */
        private @Nullable String url;

        /** Prefix of the lease and epoch keys and of the release channel. */
        private String keyPrefix = "leader:";

        /** How long one command may take; defaults to a quarter of the lease, at most 2s. Must be below lease/3. */
        private @Nullable Duration commandTimeout;

        /**
         * With keyspace expiry notifications on: how long a follower waits before re-reading
         * the lease anyway, a safety net for a lost notification. Defaults to 60s or the lease.
         */
        private @Nullable Duration followerRecheck;

        /**
         * Whether the backend may add 'Kx' to the server's notify-keyspace-events, so that
         * followers wake on lease expiry without reading at rest. Off by default: it changes
         * a server-wide setting.
         */
        private boolean enableExpiryNotifications;

        public @Nullable Duration getCommandTimeout() {
            return commandTimeout;
        }

        public void setCommandTimeout(@Nullable Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
        }

        public @Nullable Duration getFollowerRecheck() {
            return followerRecheck;
        }

        public void setFollowerRecheck(@Nullable Duration followerRecheck) {
            this.followerRecheck = followerRecheck;
        }

        public boolean isEnableExpiryNotifications() {
            return enableExpiryNotifications;
        }

        public void setEnableExpiryNotifications(boolean enableExpiryNotifications) {
            this.enableExpiryNotifications = enableExpiryNotifications;
        }

        void validate() {
            if (url != null) {
                List<String> schemes = List.of("redis", "rediss", "redis-sentinel", "rediss-sentinel", "redis-socket", "redis-cluster");
                URI uri = parse(url);
                if (uri == null || uri.getScheme() == null || !schemes.contains(uri.getScheme())
                        || (!uri.getScheme().equals("redis-socket") && (uri.getAuthority() == null || uri.getAuthority().isBlank()))) {
                    throw LeaderConfigurationException.invalidValue("leader.redis.url", url,
                            "a Redis URI such as redis://localhost:6379 (schemes: " + String.join(", ", schemes) + ")");
                }
            }
            if (keyPrefix == null || keyPrefix.isBlank()) {
                throw LeaderConfigurationException.invalidValue("leader.redis.key-prefix", keyPrefix, "a non-blank key prefix such as leader:");
            }
        }

        public @Nullable String getUrl() {
            return url;
        }

        public void setUrl(@Nullable String url) {
            this.url = url;
        }

        public String getKeyPrefix() {
            return keyPrefix;
        }

        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }
    }

    /** The etcd v3 backend. */
    public static class Etcd {

        /** Client URLs of the cluster members, e.g. http://etcd1:2379. */
        private List<String> endpoints = new ArrayList<>();

        /** Key prefix of all elections. */
        private String prefix = "/leader/";

        /** User name, when etcd authentication is on. */
        private @Nullable String user;

        /** Password, when etcd authentication is on. */
        private @Nullable String password;

        /** Name of the SSL bundle (spring.ssl.bundle.*) trusted for https endpoints; the JVM default trust when unset. */
        private @Nullable String sslBundle;

        public @Nullable String getSslBundle() {
            return sslBundle;
        }

        public void setSslBundle(@Nullable String sslBundle) {
            this.sslBundle = sslBundle;
        }

        void validate() {
            for (String endpoint : endpoints) {
                URI uri = parse(endpoint);
                if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                        || uri.getHost() == null || uri.getPort() < 1) {
                    throw LeaderConfigurationException.invalidValue("leader.etcd.endpoints", endpoint,
                            "comma-separated URLs such as http://localhost:2379 (http or https, with a port)");
                }
            }
            if (prefix == null || prefix.isBlank()) {
                throw LeaderConfigurationException.invalidValue("leader.etcd.prefix", prefix, "a non-blank key prefix such as /leader/");
            }
            if ((user == null) != (password == null)) {
                throw LeaderConfigurationException.invalidValue(user == null ? "leader.etcd.user" : "leader.etcd.password", null,
                        "a value: leader.etcd.user and leader.etcd.password go together");
            }
        }

        public List<String> getEndpoints() {
            return endpoints;
        }

        public void setEndpoints(List<String> endpoints) {
            this.endpoints = endpoints;
        }

        public String getPrefix() {
            return prefix;
        }

        public void setPrefix(String prefix) {
            this.prefix = prefix;
        }

        public @Nullable String getUser() {
            return user;
        }

        public void setUser(@Nullable String user) {
            this.user = user;
        }

        public @Nullable String getPassword() {
            return password;
        }

        public void setPassword(@Nullable String password) {
            this.password = password;
        }
    }

    /** The zero-configuration LAN backend. */
    public static class Lan {

        /** Logical group scoping the elections; peers meet by election name alone when unset. */
        private @Nullable String group;

        /** IPv4 multicast group the peers meet on; organisation-local, never routed off site. */
        private String address = "239.255.76.67";

        /** UDP port of the peers' multicast group. */
        private int port = 7667;

        /** Tie-break among candidates: a higher priority wins before the lower candidate id. */
        private int priority;

        /**
         * Expected cluster size, counting a rolling deploy's surge; above 0 a term needs the backing
         * of a majority of it (or of all candidates seen, if more), and two leaders never believe at
         * once. 0: available, not consistent (each side of a partition elects its own leader).
         */
        private int quorum;

        /** Multicast TTL; 1 keeps every packet on the local segment. */
        private int ttl = 1;

        /** How far a message's timestamp may be from this host's clock; defaults to 30s or the lease. */
        private @Nullable Duration replayWindow;

        public String getAddress() {
            return address;
        }

        public void setAddress(String address) {
            this.address = address;
        }

        public int getPriority() {
            return priority;
        }

        public void setPriority(int priority) {
            this.priority = priority;
        }

        public int getQuorum() {
            return quorum;
        }

        public void setQuorum(int quorum) {
            this.quorum = quorum;
        }

        public int getTtl() {
            return ttl;
        }

        public void setTtl(int ttl) {
            this.ttl = ttl;
        }

        public @Nullable Duration getReplayWindow() {
            return replayWindow;
        }

        public void setReplayWindow(@Nullable Duration replayWindow) {
            this.replayWindow = replayWindow;
        }

        /**
         * Shared secret for the HMAC-SHA256 signature of every message; use at least 32 random bytes
         * (shorter ones are warned about at start-up). Unset: any host on the segment can take part.
         */
        private @Nullable String secret;

        /** Network interface to use, by name (e.g. eth0). */
        private @Nullable String networkInterface;

        void validate() {
            if (port < 1 || port > 65_535) {
                throw LeaderConfigurationException.invalidValue("leader.lan.port", port, "a UDP port from 1 to 65535");
            }
        }

        public @Nullable String getGroup() {
            return group;
        }

        public void setGroup(@Nullable String group) {
            this.group = group;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public @Nullable String getSecret() {
            return secret;
        }

        public void setSecret(@Nullable String secret) {
            this.secret = secret;
        }

        public @Nullable String getInterface() {
            return networkInterface;
        }

        public void setInterface(@Nullable String networkInterface) {
            this.networkInterface = networkInterface;
        }
    }

    private static boolean allHostPorts(String[] hostPorts) {
        for (String hostPort : hostPorts) {
            var matcher = HOST_PORT.matcher(hostPort.trim());
            if (!matcher.matches() || Integer.parseInt(matcher.group(2)) < 1 || Integer.parseInt(matcher.group(2)) > 65_535) {
                return false;
            }
        }
        return true;
    }

    private static @Nullable URI parse(String value) {
        try {
            return new URI(value.trim());
        }
        catch (URISyntaxException ex) {
            return null;
        }
    }
}
