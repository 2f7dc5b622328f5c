package dev.leader.lan.autoconfigure;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The zero-configuration LAN backend. */
@ConfigurationProperties("leader.lan")
public class LanBackendProperties {

    /** Logical group scoping the elections; peers meet by election name alone when unset. */
    private @Nullable String group;

    /** IPv4 multicast group the peers meet on; organisation-local, never routed off site. Defaults to 239.255.76.67. */
    private @Nullable String address;

    /** UDP port of the peers' multicast group. Defaults to 7667. */
    private @Nullable Integer port;

    /** Tie-break among candidates: a higher priority wins before the lower candidate id. */
    private int priority;

    /**
     * Expected cluster size, counting a rolling deploy's surge; above 0 a term needs the backing
     * of a majority of it (or of all candidates seen, if more), and two leaders never believe at
     * once. 0: available, not consistent (each side of a partition elects its own leader).
     */
    private int quorum;

    /** Multicast TTL; 1 keeps every packet on the local segment. Defaults to 1. */
    private @Nullable Integer ttl;

    /** How far a message's timestamp may be from this host's clock; defaults to 30s or the lease. */
    private @Nullable Duration replayWindow;

    /**
     * Shared secret for the HMAC-SHA256 signature of every message; use at least 32 random bytes
     * (shorter ones are warned about at start-up). Unset: any host on the segment can take part.
     */
    private @Nullable String secret;

    /** Network interface to use, by name (e.g. eth0). */
    private @Nullable String networkInterface;

    public @Nullable String getAddress() {
        return address;
    }

    public void setAddress(@Nullable String address) {
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

    public @Nullable Integer getTtl() {
        return ttl;
    }

    public void setTtl(@Nullable Integer ttl) {
        this.ttl = ttl;
    }

    public @Nullable Duration getReplayWindow() {
        return replayWindow;
    }

    public void setReplayWindow(@Nullable Duration replayWindow) {
        this.replayWindow = replayWindow;
    }

    public @Nullable String getGroup() {
        return group;
    }

    public void setGroup(@Nullable String group) {
        this.group = group;
    }

    public @Nullable Integer getPort() {
        return port;
    }

    public void setPort(@Nullable Integer port) {
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
