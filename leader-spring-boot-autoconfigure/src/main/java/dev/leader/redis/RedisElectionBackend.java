package dev.leader.redis;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import dev.leader.election.BackendStatus;
import dev.leader.election.BackendStatusTracker;
import dev.leader.election.Election;
import dev.leader.election.ElectionBackend;
import dev.leader.election.OpenElections;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elects through one Redis (standalone, Sentinel or Cluster): one command connection and one
 * pub/sub connection per backend, shared by all its elections, whose leases one
 * {@link LeaseRenewals} call per interval renews. If Redis is down at start the
 * backend still starts and keeps connecting in the background; elections campaign once it is up.
 */
public final class RedisElectionBackend implements ElectionBackend {

    private static final Logger log = LoggerFactory.getLogger(RedisElectionBackend.class);

    private final RedisBackendSettings settings;

    private final RedisConnection connection;

    /**
     * Where every election's logic runs: the connections' one event loop, so that a release
     * message, the acquire it prompts and the acquire's reply are handled on the thread that reads
     * and writes them, without a hand-off between threads (0.5 ms each in a process idle a moment
     * before); see {@link RedisConnection#loop()}.
     */
    private final ScheduledExecutorService scheduler;

    // ---- scheduler thread only ----

    private int acquiresInFlight;

    /** Elections whose acquire waits for one in flight to be answered, in the order they asked. */
    private final Set<RedisElection> waitingToAcquire = new LinkedHashSet<>();

    /** Acquire scripts a backend has out at once; the others wait their turn. */
    static final int MOST_ACQUIRES_IN_FLIGHT = 64;

    private final OpenElections<RedisElection> elections = new OpenElections<>();

    /** The thread that sends {@link #renewals} and {@link #watch}, never held up by the elections' work. */
    private final ScheduledExecutorService timer;

    private final LeaseRenewals renewals;

    private final LeaseWatch watch;

    /** Channel → the elections of this backend listening on it; the link subscribes their patterns once. */
    private final Map<String, Set<RedisElection>> listeners = new ConcurrentHashMap<>();

    private final BackendStatusTracker status = new BackendStatusTracker();

    /** A backend on one standalone or Sentinel ({@code redis-sentinel://}) URI. */
    public RedisElectionBackend(RedisURI uri, RedisBackendSettings settings) {
        this(List.of(uri), false, settings);
    }

    /**
     * A backend on {@code uris}; {@code cluster} selects Redis Cluster (the URIs are seed nodes),
     * otherwise exactly one URI is allowed. Their timeout (and their Sentinels') is set to the
     * connect timeout, which bounds a new connection's handshake.
     */
    public RedisElectionBackend(List<RedisURI> uris, boolean cluster, RedisBackendSettings settings) {
        if (uris.isEmpty() || (!cluster && uris.size() != 1)) {
            throw new IllegalArgumentException("leader.redis.url must name one Redis (or Sentinel) URI, or seed nodes of a"
                    + " Redis Cluster; got " + uris.size());
        }
        this.settings = settings;
        this.connection = new RedisConnection(uris, cluster, settings, new Events());
        this.scheduler = connection.loop();
        this.timer = LeaseRenewals.timer();
        this.renewals = new LeaseRenewals(this, settings, cluster, timer);
        this.watch = new LeaseWatch(this, settings, cluster, timer);
        this.connection.subscribe(ElectionKeys.patterns(settings.keyPrefix(), connection.database()));
        this.connection.start();
    }

    /**
     * A backend on {@code url}: {@code redis://}, {@code rediss://}, {@code redis-sentinel://},
     * with password and database as Lettuce parses them; several comma-separated URLs, or the
     * prefix {@code redis-cluster://} ({@code redis-cluster://host:port,host:port}) for a Cluster.
     */
    public static RedisElectionBackend fromUrl(String url, RedisBackendSettings settings) {
        return new RedisElectionBackend(RedisUrls.parse(url), RedisUrls.isCluster(url), settings);
    }

    public RedisBackendSettings settings() {
        return settings;
    }

    @Override
    public String type() {
        return "redis";
    }

    @Override
    public Election election(String name, String candidateId) {
        return elections.open(name, () -> new RedisElection(name, candidateId, this, settings,
                ElectionKeys.of(settings.keyPrefix(), name, connection.database()), scheduler));
    }

    @Override
    public Duration lease() {
        return settings.lease();
    }

    @Override
    public BackendStatus status() {
        return status.status("not connected to Redis yet");
    }

    @Override
    public void close() {
        elections.closeAll();
        timer.shutdownNow();
        // The scheduler is the connections' event loop: it ends with them.
        connection.close();
    }

    // ---- for elections ----

    @Nullable RedisClusterAsyncCommands<String, String> commands() {
        return connection.commands();
    }

    /** Whether the caller runs on the scheduler, where nothing may wait for a reply. */
    boolean onScheduler() {
        return connection.loop().inEventLoop();
    }

    LeaseRenewals renewals() {
        return renewals;
    }

    /**
     * Whether {@code election} may send its acquire script now: at most
     * {@link #MOST_ACQUIRES_IN_FLIGHT} are out at once, so that a renewal sent on the same
     * connection never waits behind thousands of campaigning elections' acquires (at 10,000
     * elections per application it did, past its command timeout). If not, the election is
     * called back ({@link RedisElection#acquireTurn}) when one is answered. On the scheduler thread.
     */
    boolean startAcquire(RedisElection election) {
        if (acquiresInFlight < MOST_ACQUIRES_IN_FLIGHT) {
            acquiresInFlight++;
            waitingToAcquire.remove(election);
            return true;
        }
        waitingToAcquire.add(election);
        return false;
    }

    /** An acquire was answered (or failed): waiting elections take the free places. On the scheduler thread. */
    void acquireEnded() {
        acquiresInFlight--;
        Iterator<RedisElection> waiting = waitingToAcquire.iterator();
        while (acquiresInFlight < MOST_ACQUIRES_IN_FLIGHT && waiting.hasNext()) {
            RedisElection next = waiting.next();
            waiting.remove();
            // Takes a place if it still campaigns for a lease; one closed or leading meanwhile takes none.
            next.acquireTurn();
            waiting = waitingToAcquire.iterator();
        }
    }

    LeaseWatch watch() {
        return watch;
    }

    boolean expiryNotifications() {
        return connection.expiryNotifications();
    }

    /**
     * Hands {@code election} the messages of its channels. Completes once the link's patterns
     * are subscribed (at once when there is no link: connecting subscribes them before anything
     * else), so that a release right after the election's first read is not missed.
     */
    CompletableFuture<Void> subscribe(RedisElection election) {
        ElectionKeys keys = election.keys();
        listeners.computeIfAbsent(keys.channel(), c -> ConcurrentHashMap.newKeySet()).add(election);
        listeners.computeIfAbsent(keys.keyspaceChannel(), c -> ConcurrentHashMap.newKeySet()).add(election);
        return connection.subscribed()
                .orTimeout(settings.commandTimeout().toNanos(), TimeUnit.NANOSECONDS)
                .exceptionally(ex -> {
                    // The first read still happens; the wake-up on the lease's PTTL covers a missed release.
                    log.warn("{} subscribing to {} failed: {}", election.prefix(), keys.channel(), RedisScripts.unwrap(ex).toString());
                    failed(ex);
                    return null;
                });
    }

    void unsubscribe(RedisElection election) {
        elections.remove(election);
        ElectionKeys keys = election.keys();
        for (String channel : List.of(keys.channel(), keys.keyspaceChannel())) {
            Set<RedisElection> set = listeners.get(channel);
            if (set != null && set.remove(election) && set.isEmpty()) {
                listeners.remove(channel, set);
            }
        }
    }

    void succeeded(long roundTripNanos) {
        status.succeeded(roundTripNanos);
        connection.answered();
    }

    void failed(@Nullable Throwable error) {
        if (error == null) {
            return;
        }
        Throwable cause = RedisScripts.unwrap(error);
        status.error(cause.toString());
        if (cause instanceof RedisCommandTimeoutException) {
            connection.timedOut();
        }
        else if (cause instanceof RedisCommandExecutionException) {
            connection.answered(); // the server's own error (LOADING, READONLY, …): the link works
        }
    }

    /** Connection and pub/sub events, from Lettuce's threads. */
    final class Events extends RedisPubSubAdapter<String, String> {

        @Override
        public void message(String pattern, String channel, String message) {
            message(channel, message);
        }

        @Override
        public void message(String channel, String message) {
            Set<RedisElection> set = listeners.get(channel);
            if (set == null) {
                return;
            }
            boolean keyspace = channel.startsWith("__keyspace@");
            if (keyspace ? !"expired".equals(message) : !"released".equals(message)) {
                return;
            }
            for (RedisElection election : set) {
                if (keyspace) {
                    election.expired();
                }
                else {
                    election.released();
                }
            }
        }

        void connected() {
            if (!status.isReachable()) {
                log.info("connected to Redis");
            }
            status.connected();
            elections.forEach(RedisElection::connectionRestored);
        }

        void disconnected(@Nullable Throwable cause) {
            if (status.isReachable()) {
                log.warn("lost the connection to Redis{}", cause == null ? "" : ": " + cause);
            }
            status.failed(cause);
            elections.forEach(RedisElection::connectionLost);
        }
    }
}
