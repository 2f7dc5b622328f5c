package dev.leader.etcd.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The etcd v3 backend. */
@ConfigurationProperties("leader.etcd")
public class EtcdBackendProperties {

    /** Client URLs of the cluster members, e.g. http://etcd1:2379. */
    private List<String> endpoints = new ArrayList<>();

    /** Key prefix of all elections; starts and ends with '/'. Defaults to /leader/. */
    private @Nullable String prefix;

    /** User name, when etcd authentication is on. */
    private @Nullable String user;

    /** Password, when etcd authentication is on. */
    private @Nullable String password;

    /** Name of the SSL bundle (spring.ssl.bundle.*) trusted for https endpoints; the JVM default trust when unset. */
    private @Nullable String sslBundle;

    /**
     * How often the members send progress notifications on quiet watches (their
     * --experimental-watch-progress-notify-interval); a watch silent for three of these is
     * opened again on the next member. Defaults to 10m, etcd's own default.
     */
    private @Nullable Duration watchProgressInterval;

    public List<String> getEndpoints() {
        return endpoints;
    }

    public void setEndpoints(List<String> endpoints) {
        this.endpoints = endpoints;
    }

    public @Nullable String getPrefix() {
        return prefix;
    }

    public void setPrefix(@Nullable String prefix) {
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

    public @Nullable String getSslBundle() {
        return sslBundle;
    }

    public void setSslBundle(@Nullable String sslBundle) {
        this.sslBundle = sslBundle;
    }

    public @Nullable Duration getWatchProgressInterval() {
        return watchProgressInterval;
    }

    public void setWatchProgressInterval(@Nullable Duration watchProgressInterval) {
        this.watchProgressInterval = watchProgressInterval;
    }
}
