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
     * When this application campaigns: once it is ready to serve (readiness ACCEPTING_TRAFFIC,
     * after application runners), so a leader is never an instance that cannot serve yet; only
     * while it is ready, stepping down (leader-only work drained, leader-only lifecycles
     * stopped, leadership released) while readiness is REFUSING_TRAFFIC and campaigning again
     * when it accepts traffic; or as soon as its context is refreshed. A context not started by
     * SpringApplication never announces readiness and campaigns on start.
     */
    private Campaign campaign = Campaign.ON_READY;

    private final Health health = new Health();

    private final Spread spread = new Spread();

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

    public Spread getSpread() {
        return spread;
    }

    /** Spreading leadership of many elections over the instances. */
    public static class Spread {

        /**
         * The number of instances to spread leadership over; above 0, an instance that leads more
         * than its fair share of the application's elections (plus a slack of a tenth) yields the
         * excess to instances that lead fewer. 0 (the default): no spreading, the first instance
         * to campaign leads whatever it wins.
         */
        private int instances;

        public int getInstances() {
            return instances;
        }

        public void setInstances(int instances) {
            this.instances = instances;
        }
    }

    /** When the application starts campaigning. */
    public enum Campaign {
        /** Once the application is ready to serve (readiness ACCEPTING_TRAFFIC). */
        ON_READY,
        /**
         * Once the application is ready to serve, and only while it is: on readiness
         * REFUSING_TRAFFIC every election is withdrawn (leader-only work drained, leader-only
         * lifecycles stopped, leadership released, no campaigning); on ACCEPTING_TRAFFIC it
         * campaigns again.
         */
        WHILE_READY,
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
}
