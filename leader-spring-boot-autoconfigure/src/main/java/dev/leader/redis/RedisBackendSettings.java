package dev.leader.redis;

import java.time.Duration;
import dev.leader.election.InvalidSettingException;
import dev.leader.election.LeaseDeadline;
import io.lettuce.core.SslOptions;
import org.jspecify.annotations.Nullable;

/**
 * The Redis backend's settings, checked once here so that a bad value fails at start-up with
 * a message naming the setting.
 *
 * @param keyPrefix prefix of every key and channel ({@code leader.redis.key-prefix})
 * @param lease the lease ({@code PX}) of a term ({@code leader.lease-duration})
 * @param commandTimeout how long a command may take before it counts as failed; below
 *        lease/3 so that a renewal that failed is retried before the lease runs out
 * @param followerRecheck how long a follower waits, with keyspace expiry notifications on,
 *        before it re-reads the lease anyway (a safety net for a lost notification)
 * @param enableExpiryNotifications whether the backend may turn on the server's keyspace expiry
 *        notifications ({@code CONFIG SET notify-keyspace-events}, adding {@code Kx} to what is
 *        set) so that followers need no reads at rest; off by default because it changes a
 *        server setting that other applications share. Without them the backend reads the
 *        leases of all its followers with one call per renew interval.
 * @param ssl key and trust material for TLS ({@code leader.redis.ssl.bundle}, or the bundle of
 *        the Spring Data Redis connection), or null; when set, every URI is connected over TLS
 */
public record RedisBackendSettings(String keyPrefix, Duration lease, Duration commandTimeout,
        Duration followerRecheck, boolean enableExpiryNotifications, @Nullable SslOptions ssl) {

    public static final String DEFAULT_KEY_PREFIX = "leader:";

    public static final Duration DEFAULT_FOLLOWER_RECHECK = Duration.ofSeconds(60);

    public static final Duration MIN_LEASE = Duration.ofMillis(30);

    public RedisBackendSettings {
        if (keyPrefix == null || keyPrefix.isEmpty() || keyPrefix.indexOf('{') >= 0 || keyPrefix.indexOf('}') >= 0
                || keyPrefix.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidSettingException("leader.redis.key-prefix", keyPrefix,
                    "a non-empty prefix without '{', '}' or white space, such as leader: (the election name follows in a hash tag)");
        }
        if (lease == null || lease.compareTo(MIN_LEASE) < 0) {
            throw new InvalidSettingException("leader.lease-duration", lease, "at least " + MIN_LEASE.toMillis() + "ms with Redis");
        }
        if (commandTimeout == null || commandTimeout.isNegative() || commandTimeout.isZero()
                || commandTimeout.compareTo(lease.dividedBy(3)) >= 0) {
            throw new InvalidSettingException("leader.redis.command-timeout", commandTimeout, "a positive duration below a third of the lease ("
                    + lease.dividedBy(3).toMillis() + "ms), so that a failed renewal is retried in time");
        }
        if (followerRecheck == null || followerRecheck.compareTo(lease) < 0) {
            throw new InvalidSettingException("leader.redis.follower-recheck", followerRecheck,
                    "at least the lease (" + lease.toMillis() + "ms)");
        }
    }

    /** Defaults: prefix {@code leader:}, 10 s lease. */
    public static RedisBackendSettings defaults() {
        return of(LeaseDeadline.DEFAULT_LEASE);
    }

    /** Default prefix and timeouts derived from {@code lease}. */
    public static RedisBackendSettings of(Duration lease) {
        return new RedisBackendSettings(DEFAULT_KEY_PREFIX, lease, defaultCommandTimeout(lease),
                lease.compareTo(DEFAULT_FOLLOWER_RECHECK) > 0 ? lease : DEFAULT_FOLLOWER_RECHECK, false, null);
    }

    /**
     * Default prefix and timeouts; any argument may be null for its default.
     */
    public static RedisBackendSettings of(@Nullable String keyPrefix, @Nullable Duration lease,
            @Nullable Duration commandTimeout, @Nullable Duration followerRecheck) {
        RedisBackendSettings base = of(lease == null ? LeaseDeadline.DEFAULT_LEASE : lease);
        return new RedisBackendSettings(keyPrefix == null ? base.keyPrefix : keyPrefix, base.lease,
                commandTimeout == null ? base.commandTimeout : commandTimeout,
                followerRecheck == null ? base.followerRecheck : followerRecheck, false, null);
    }

    /** A quarter of the lease, at most 2 s: safely below the renew interval of lease/3. */
    public static Duration defaultCommandTimeout(Duration lease) {
        Duration quarter = lease.dividedBy(4);
        return quarter.compareTo(Duration.ofSeconds(2)) > 0 ? Duration.ofSeconds(2) : quarter;
    }

    public RedisBackendSettings withKeyPrefix(String prefix) {
        return new RedisBackendSettings(prefix, lease, commandTimeout, followerRecheck, enableExpiryNotifications, ssl);
    }

    public RedisBackendSettings withFollowerRecheck(Duration recheck) {
        return new RedisBackendSettings(keyPrefix, lease, commandTimeout, recheck, enableExpiryNotifications, ssl);
    }

    public RedisBackendSettings withEnableExpiryNotifications(boolean enable) {
        return new RedisBackendSettings(keyPrefix, lease, commandTimeout, followerRecheck, enable, ssl);
    }

    /** TLS with {@code ssl}'s key and trust material on every URI; null for what the URIs say. */
    public RedisBackendSettings withSsl(@Nullable SslOptions ssl) {
        return new RedisBackendSettings(keyPrefix, lease, commandTimeout, followerRecheck, enableExpiryNotifications, ssl);
    }

    /** A leader renews this often. */
    public Duration renewInterval() {
        return lease.dividedBy(3);
    }

    /** The safety margin by which a leader stops believing before the server's expiry. */
    public Duration margin() {
        return LeaseDeadline.defaultMargin(lease);
    }
}
