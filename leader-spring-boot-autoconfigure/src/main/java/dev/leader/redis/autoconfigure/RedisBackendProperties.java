package dev.leader.redis.autoconfigure;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The Redis backend. */
@ConfigurationProperties("leader.redis")
public class RedisBackendProperties {

    /**
     * Redis URI: redis://[user:password@]host:port[/database], rediss:// for TLS,
     * redis-sentinel://host:port[,host:port]/database#master, redis-cluster://host:port,host:port.
     * Defaults to the application's Spring Data Redis connection when it has one (one server,
     * Sentinel or Cluster; a static Master/Replica connection is refused).
     */
    private @Nullable String url;

    /** Prefix of the lease and epoch keys and of the release channel. Defaults to leader:. */
    private @Nullable String keyPrefix;

    /** How long one command may take; must be below lease/3. Defaults to a quarter of the lease, at most 2s. */
    private @Nullable Duration commandTimeout;

    /**
     * With keyspace expiry notifications on: how long a follower waits before re-reading the
     * lease anyway, a safety net for a lost notification. Defaults to 60s, or the lease if longer.
     */
    private @Nullable Duration followerRecheck;

    /**
     * Whether the backend may add 'Kx' to the server's notify-keyspace-events, so that
     * followers wake on lease expiry without reading at rest. Off by default: it changes a
     * server-wide setting.
     */
    private boolean enableExpiryNotifications;

    private final Ssl ssl = new Ssl();

    public @Nullable String getUrl() {
        return url;
    }

    public void setUrl(@Nullable String url) {
        this.url = url;
    }

    public @Nullable String getKeyPrefix() {
        return keyPrefix;
    }

    public void setKeyPrefix(@Nullable String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

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

    public Ssl getSsl() {
        return ssl;
    }

    /** TLS to Redis. */
    public static class Ssl {

        /**
         * Name of the SSL bundle (spring.ssl.bundle.*) whose key and trust material the
         * connection uses; it implies TLS on every URI. Defaults to the bundle of the Spring Data
         * Redis connection when that connection is reused, else the JVM default trust for rediss://.
         */
        private @Nullable String bundle;

        public @Nullable String getBundle() {
            return bundle;
        }

        public void setBundle(@Nullable String bundle) {
            this.bundle = bundle;
        }
    }
}
