package dev.leader.autoconfigure;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Leader election settings shared by every backend; each backend's own are under
 * {@code leader.<backend>.*}. Plain data: the defaults and the rules belong to the settings each
 * value is mapped onto ({@code LeaseDeadline}, the backends' {@code *BackendSettings}), which
 * refuse a bad value at start-up naming the property and what it accepts.
 */
@ConfigurationProperties("leader")
public class LeaderProperties {

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
     * timeout, the Redis key expiry, the etcd lease TTL, the LAN peer expiry, the JDBC lease.
     * Crash failover takes about this long; graceful hand-off does not wait for it. Defaults to
     * 10s.
     */
    private @Nullable Duration leaseDuration;

    /**
     * On shutdown or yield, how long to wait for running leader-only work (@LeaderOnly calls,
     * their futures and publishers, bound lifecycle beans) before releasing leadership, so that
     * the next leader never overlaps it. Defaults to 10s.
     */
    private @Nullable Duration shutdownTimeout;

    /**
     * When this application starts campaigning: once it is ready to serve (readiness
     * ACCEPTING_TRAFFIC, after application runners), so a leader is never an instance that
     * cannot serve yet; or as soon as its context is refreshed. A context not started by
     * SpringApplication never announces readiness and campaigns on start.
     */
    private Campaign campaign = Campaign.ON_READY;

    private final Health health = new Health();

    private final Lan lan = new Lan();

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

    public @Nullable Duration getLeaseDuration() {
        return leaseDuration;
    }

    public void setLeaseDuration(@Nullable Duration leaseDuration) {
        this.leaseDuration = leaseDuration;
    }

    public @Nullable Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(@Nullable Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public Campaign getCampaign() {
        return campaign;
    }

    public void setCampaign(Campaign campaign) {
        this.campaign = campaign;
    }

    public Health getHealth() {
        return health;
    }

    public Lan getLan() {
        return lan;
    }

    /** When the application starts campaigning. */
    public enum Campaign {
        /** Once the application is ready to serve (readiness ACCEPTING_TRAFFIC). */
        ON_READY,
        /** As soon as the application context is refreshed. */
        ON_START
    }

    /** The {@code leader} health contributor. */
    public static class Health {

        /**
         * Whether an election backend unreachable for longer than the lease makes the
         * contributor DOWN, and with it the application's aggregate health. By default it is
         * UNREACHABLE, a status the default aggregation does not rank above UP: an outage of
         * the backend pauses leader-only work but does not take the application out of service.
         */
        private boolean downWhenUnreachable;

        public boolean isDownWhenUnreachable() {
            return downWhenUnreachable;
        }

        public void setDownWhenUnreachable(boolean downWhenUnreachable) {
            this.downWhenUnreachable = downWhenUnreachable;
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
}
