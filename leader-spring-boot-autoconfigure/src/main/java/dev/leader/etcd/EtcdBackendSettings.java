package dev.leader.etcd;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import dev.leader.election.InvalidSettingException;
import dev.leader.election.LeaseDeadline;
import org.jspecify.annotations.Nullable;

/**
 * What the etcd backend needs, validated once. Maps onto {@code leader.etcd.*} and
 * {@code leader.lease-duration}.
 *
 * @param endpoints client URLs of the cluster's members, {@code http://host:port} or
 *        {@code https://host:port}; tried in turn when one fails
 * @param prefix key prefix under which each election keeps its candidates; starts and ends with '/'
 * @param user etcd user for authentication, or null when auth is off
 * @param password the user's password; required with a user
 * @param sslContext trust (and client certificate) for {@code https} endpoints, or null for
 *        the JVM's default trust
 * @param leaseDuration the lease TTL; etcd counts in whole seconds (at least its own minimum,
 *        2 s by default), so the TTL asked for is this rounded up, and a leader stops believing
 *        {@link #margin()} before this duration after its last acknowledged keep-alive was sent
 * @param margin how much earlier than the lease a leader stops believing
 * @param requestTimeout bound on every unary request and on opening a watch; a keep-alive waits
 *        at most a third of the lease
 * @param watchProgressInterval how often the members send a progress notification on a quiet
 *        watch (their {@code --experimental-watch-progress-notify-interval}, 10 minutes unless
 *        set); a watch that hears nothing for three of these is taken for dead and opened again
 *        on the next endpoint
 */
public record EtcdBackendSettings(List<URI> endpoints, String prefix, @Nullable String user, @Nullable String password,
        @Nullable SSLContext sslContext, Duration leaseDuration, Duration margin, Duration requestTimeout,
        Duration watchProgressInterval) {

    public static final String DEFAULT_PREFIX = "/leader/";

    private static final String ENDPOINTS = "comma-separated client URLs such as http://localhost:2379 (http or https, with a port)";

    /** etcd's own default for {@code --experimental-watch-progress-notify-interval}. */
    public static final Duration DEFAULT_WATCH_PROGRESS_INTERVAL = Duration.ofMinutes(10);

    public EtcdBackendSettings {
        Objects.requireNonNull(endpoints, "endpoints");
        if (endpoints.isEmpty()) {
            throw new InvalidSettingException("leader.etcd.endpoints", "", ENDPOINTS);
        }
        endpoints = List.copyOf(endpoints);
        for (URI endpoint : endpoints) {
            String scheme = endpoint.getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme) || endpoint.getHost() == null || endpoint.getPort() < 1) {
                throw new InvalidSettingException("leader.etcd.endpoints", endpoint, ENDPOINTS);
            }
        }
        Objects.requireNonNull(prefix, "prefix");
        if (!prefix.startsWith("/") || !prefix.endsWith("/")) {
            throw new InvalidSettingException("leader.etcd.prefix", prefix, "a key prefix that starts and ends with '/', e.g. /leader/");
        }
        if (user != null && user.isBlank()) {
            user = null;
        }
        if (user != null && (password == null || password.isEmpty())) {
            throw new InvalidSettingException("leader.etcd.password", null, "the password of leader.etcd.user");
        }
        if (user == null && password != null && !password.isEmpty()) {
            throw new InvalidSettingException("leader.etcd.user", null, "the user whose password leader.etcd.password is");
        }
        Objects.requireNonNull(leaseDuration, "leaseDuration");
        if (leaseDuration.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new InvalidSettingException("leader.lease-duration", leaseDuration,
                    "at least 1s with etcd (its leases count whole seconds)");
        }
        Objects.requireNonNull(margin, "margin");
        if (margin.isNegative() || margin.compareTo(leaseDuration) >= 0) {
            throw new IllegalArgumentException("etcd lease margin " + margin + " must be in [0, leader.lease-duration)");
        }
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("etcd request timeout must be positive: " + requestTimeout);
        }
        Objects.requireNonNull(watchProgressInterval, "watchProgressInterval");
        InvalidSettingException.requirePositive("leader.etcd.watch-progress-interval", watchProgressInterval);
    }

    /** Settings for these endpoints with every default: prefix {@code /leader/}, 10 s lease, no auth. */
    public static EtcdBackendSettings of(List<URI> endpoints) {
        return new EtcdBackendSettings(endpoints, DEFAULT_PREFIX, null, null, null, LeaseDeadline.DEFAULT_LEASE,
                margin(LeaseDeadline.DEFAULT_LEASE), requestTimeout(LeaseDeadline.DEFAULT_LEASE), DEFAULT_WATCH_PROGRESS_INTERVAL);
    }

    /** As {@link #of(List)}, parsing comma-separated URLs. */
    public static EtcdBackendSettings of(String endpoints) {
        return of(parseEndpoints(endpoints));
    }

    /** Parses {@code leader.etcd.endpoints}: URLs separated by commas. */
    public static List<URI> parseEndpoints(String endpoints) {
        try {
            return java.util.Arrays.stream(endpoints.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .map(URI::create).toList();
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidSettingException("leader.etcd.endpoints", endpoints, ENDPOINTS);
        }
    }

    public EtcdBackendSettings withPrefix(String prefix) {
        return new EtcdBackendSettings(endpoints, prefix, user, password, sslContext, leaseDuration, margin, requestTimeout,
                watchProgressInterval);
    }

    public EtcdBackendSettings withCredentials(@Nullable String user, @Nullable String password) {
        return new EtcdBackendSettings(endpoints, prefix, user, password, sslContext, leaseDuration, margin, requestTimeout,
                watchProgressInterval);
    }

    public EtcdBackendSettings withSslContext(@Nullable SSLContext sslContext) {
        return new EtcdBackendSettings(endpoints, prefix, user, password, sslContext, leaseDuration, margin, requestTimeout,
                watchProgressInterval);
    }

    /** Sets the lease and derives the margin and request timeout from it. */
    public EtcdBackendSettings withLeaseDuration(Duration leaseDuration) {
        Objects.requireNonNull(leaseDuration, "leaseDuration");
        return new EtcdBackendSettings(endpoints, prefix, user, password, sslContext, leaseDuration,
                margin(leaseDuration), requestTimeout(leaseDuration), watchProgressInterval);
    }

    /** Tells the watches how often the members send progress notifications (see the record's parameters). */
    public EtcdBackendSettings withWatchProgressInterval(Duration watchProgressInterval) {
        return new EtcdBackendSettings(endpoints, prefix, user, password, sslContext, leaseDuration, margin, requestTimeout,
                watchProgressInterval);
    }

    /** The TTL asked of etcd, in whole seconds, never below the lease. */
    long ttlSeconds() {
        long seconds = leaseDuration.getSeconds();
        return leaseDuration.getNano() > 0 ? seconds + 1 : seconds;
    }

    Duration keepAliveInterval() {
        return leaseDuration.dividedBy(3);
    }

    /**
     * How long a watch may hear nothing before it is taken for dead: etcd sends a progress
     * notification every interval unless an event went out since the last tick, so two
     * intervals can pass between two messages; three leave room for a slow host.
     */
    Duration watchSilenceLimit() {
        return watchProgressInterval.multipliedBy(3);
    }

    private static Duration margin(Duration lease) {
        return dev.leader.election.LeaseDeadline.defaultMargin(lease);
    }

    private static Duration requestTimeout(Duration lease) {
        Duration third = lease.dividedBy(3);
        return third.compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : third;
    }
}
