package dev.leader.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Without keyspace expiry notifications a follower must read its lease to learn that a leader
 * died; here one {@link RedisScripts#PTTL_ALL} call per renew interval reads the leases of every
 * such follower of the backend (issue 20), instead of an acquire per follower each time the lease
 * it last read would have expired: at 10,000 elections per application those thousands of
 * scripts a second crowded the one command connection, and the leaders' renewals behind them
 * timed out.
 *
 * <p>A lease a live leader renews never has less than lease − interval (two intervals) left, so
 * a read that finds less than {@link #SOON} hands the follower the exact moment it ends, and the
 * follower wakes then, as it did on its own read. A lease shorter than that when the follower read
 * it, the follower waits for on its own.
 */
final class LeaseWatch {

    /** Threshold of {@link #endsSoon}, in renew intervals. */
    static final double SOON = 1.5;

    private static final Logger log = LoggerFactory.getLogger(LeaseWatch.class);

    private final RedisElectionBackend backend;

    private final boolean cluster;

    /** A lease that ends within this many ms may end before the next read sees it. */
    private final long soonMillis;

    private final Set<RedisElection> followers = ConcurrentHashMap.newKeySet();

    private final ScheduledExecutorService timer;

    LeaseWatch(RedisElectionBackend backend, RedisBackendSettings settings, boolean cluster, ScheduledExecutorService timer) {
        this.backend = backend;
        this.cluster = cluster;
        this.timer = timer;
        long interval = settings.renewInterval().toNanos();
        this.soonMillis = (long) (SOON * TimeUnit.NANOSECONDS.toMillis(interval));
        try {
            timer.scheduleAtFixedRate(this::readAll, interval, interval, TimeUnit.NANOSECONDS);
        }
        catch (RejectedExecutionException ex) {
            log.debug("backend closed; no lease watch");
        }
    }

    /** Whether a lease with {@code pttlMillis} left may end before the watch reads it next. */
    boolean endsSoon(long pttlMillis) {
        return pttlMillis < soonMillis;
    }

    /** Reads {@code follower}'s lease from the next call on, until it reads it itself. */
    void add(RedisElection follower) {
        followers.add(follower);
    }

    void remove(RedisElection follower) {
        followers.remove(follower);
    }

    int size() {
        return followers.size();
    }

    private void readAll() {
        if (followers.isEmpty()) {
            return;
        }
        if (backend.expiryNotifications()) {
            // Turned on since these followers read their leases: the notifications wake them now.
            for (RedisElection follower : List.copyOf(followers)) {
                if (followers.remove(follower)) {
                    follower.leaseEndsIn(Long.MAX_VALUE);
                }
            }
            return;
        }
        RedisClusterAsyncCommands<String, String> commands = backend.commands();
        if (commands == null) {
            // Reconnecting makes every follower read its lease itself.
            return;
        }
        for (List<RedisElection> call : LeaseRenewals.calls(List.copyOf(followers), RedisElection::keys, cluster)) {
            List<String> leases = new ArrayList<>(call.size());
            call.forEach(follower -> leases.add(follower.keys().lease()));
            long sendNanos = System.nanoTime();
            RedisScripts.pttlAll(commands, leases).whenCompleteAsync((reply, error) -> replied(call, reply, error, sendNanos), timer);
        }
    }

    private void replied(List<RedisElection> call, @Nullable List<Object> reply, @Nullable Throwable error, long sendNanos) {
        if (error != null || reply == null || reply.size() != call.size()) {
            backend.failed(error);
            log.warn("reading the leases of {} followers failed, again in a renew interval: {}", call.size(),
                    error == null ? "reply " + reply : RedisScripts.unwrap(error).toString());
            return;
        }
        backend.succeeded(System.nanoTime() - sendNanos);
        for (int i = 0; i < call.size(); i++) {
            long pttl = RedisScripts.asLong(reply.get(i));
            RedisElection follower = call.get(i);
            if (endsSoon(pttl) && followers.remove(follower)) {
                follower.leaseEndsIn(pttl);
            }
        }
    }
}
