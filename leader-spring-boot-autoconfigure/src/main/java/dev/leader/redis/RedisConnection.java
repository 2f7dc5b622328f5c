package dev.leader.redis;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import dev.leader.election.Backoff;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend's two Lettuce connections (commands, pub/sub), opened in the background and
 * retried with backoff until Redis answers, so that an application starts while Redis is down.
 *
 * <p>Lettuce is set to reject commands while disconnected and not to replay, after a
 * reconnect, commands that were in flight when the connection broke: a renewal must reach the
 * server within its command timeout (below lease/3) or not at all, because one that arrived
 * late would stretch the server's lease past what the leader believes, delaying the successor.
 */
final class RedisConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisConnection.class);

    private final List<RedisURI> uris;

    private final boolean cluster;

    private final AbstractRedisClient client;

    private final ClientResources resources;

    private final RedisElectionBackend.Events events;

    private final ScheduledExecutorService connector;

    private final boolean enableExpiryNotifications;

    private final Backoff backoff = Backoff.forReconnect();

    private final Set<String> channels = ConcurrentHashMap.newKeySet();

    private volatile @Nullable StatefulConnection<String, String> connection;

    private volatile @Nullable RedisClusterAsyncCommands<String, String> commands;

    private volatile @Nullable StatefulRedisPubSubConnection<String, String> pubsub;

    private volatile boolean expiryNotifications;

    private volatile boolean closed;

    RedisConnection(List<RedisURI> uris, boolean cluster, RedisBackendSettings settings, RedisElectionBackend.Events events) {
        Duration timeout = settings.commandTimeout();
        // The caller's URIs stay as they are (a Sentinel URI does not survive a builder copy):
        // TimeoutOptions below bound every command regardless of the URI's own timeout.
        this.uris = List.copyOf(uris);
        this.cluster = cluster;
        this.events = events;
        this.enableExpiryNotifications = settings.enableExpiryNotifications();
        SocketOptions socket = SocketOptions.builder()
                .connectTimeout(timeout.compareTo(Duration.ofMillis(500)) > 0 ? timeout : Duration.ofMillis(500))
                .build();
        // Lettuce's default reconnect delay grows to 30 s; a leaderless election should not wait
        // that long once Redis is back, so the delay is capped at the lease (at most 5 s).
        Duration cap = settings.lease().compareTo(Duration.ofSeconds(5)) < 0 ? settings.lease() : Duration.ofSeconds(5);
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(1)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), cap, 2, TimeUnit.MILLISECONDS))
                .build();
        if (cluster) {
            ClusterClientOptions.Builder options = ClusterClientOptions.builder();
            options.autoReconnect(true);
            options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
            options.replayFilter(command -> true);
            options.timeoutOptions(TimeoutOptions.enabled(timeout));
            options.socketOptions(socket);
            RedisClusterClient clusterClient = RedisClusterClient.create(resources, this.uris);
            clusterClient.setOptions(options.build());
            this.client = clusterClient;
        }
        else {
            RedisClient redisClient = RedisClient.create(resources);
            redisClient.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .replayFilter(command -> true)
                    .timeoutOptions(TimeoutOptions.enabled(timeout))
                    .socketOptions(socket)
                    .build());
            this.client = redisClient;
        }
        this.client.addListener(new StateListener());
        this.connector = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "leader-redis-connect");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        connector.execute(this::connect);
    }

    int database() {
        return cluster ? 0 : uris.get(0).getDatabase();
    }

    @Nullable RedisClusterAsyncCommands<String, String> commands() {
        return commands;
    }

    /** Whether the server publishes keyspace {@code expired} events, so followers need not wake on the PTTL. */
    boolean expiryNotifications() {
        return expiryNotifications;
    }

    CompletableFuture<Void> subscribe(String... names) {
        channels.addAll(List.of(names));
        StatefulRedisPubSubConnection<String, String> ps = pubsub;
        if (ps == null) {
            // connect() subscribes to every channel once it is up
            return CompletableFuture.completedFuture(null);
        }
        return ps.async().subscribe(names).toCompletableFuture();
    }

    void unsubscribe(String name) {
        channels.remove(name);
        StatefulRedisPubSubConnection<String, String> ps = pubsub;
        if (ps != null && ps.isOpen()) {
            ps.async().unsubscribe(name);
        }
    }

    private void connect() {
        if (closed) {
            return;
        }
        try {
            StatefulRedisPubSubConnection<String, String> ps;
            if (client instanceof RedisClusterClient clusterClient) {
                StatefulRedisClusterConnection<String, String> c = clusterClient.connect(StringCodec.UTF8);
                connection = c;
                commands = c.async();
                ps = clusterClient.connectPubSub(StringCodec.UTF8);
            }
            else {
                RedisClient redisClient = (RedisClient) client;
                StatefulRedisConnection<String, String> c = redisClient.connect(StringCodec.UTF8, uris.get(0));
                connection = c;
                commands = c.async();
                ps = redisClient.connectPubSub(StringCodec.UTF8, uris.get(0));
            }
            ps.addListener(events);
            // Published before the bulk subscribe: a channel added meanwhile is then either in
            // the set read below or subscribed by subscribe() itself.
            pubsub = ps;
            if (!channels.isEmpty()) {
                ps.async().subscribe(channels.toArray(String[]::new)).get(5, TimeUnit.SECONDS);
            }
            backoff.reset();
            detectExpiryNotifications();
            events.connected();
        }
        catch (Exception ex) {
            closeConnections();
            if (closed) {
                return;
            }
            Duration wait = backoff.next();
            log.warn("cannot connect to Redis {} ({}); retrying in {} ms", uris, RedisScripts.unwrap(ex).toString(), wait.toMillis());
            events.disconnected(RedisScripts.unwrap(ex));
            connector.schedule(this::connect, wait.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void detectExpiryNotifications() {
        RedisClusterAsyncCommands<String, String> c = commands;
        if (cluster || c == null) {
            // Cluster nodes notify only their own subscribers: followers fall back to the PTTL.
            expiryNotifications = false;
            return;
        }
        c.configGet("notify-keyspace-events").toCompletableFuture().whenComplete((config, error) -> {
            if (error != null || config == null) {
                expiryNotifications = false;
                return;
            }
            String flags = config.values().stream().findFirst().orElse("");
            boolean on = flags.contains("K") && (flags.contains("x") || flags.contains("A"));
            if (!on && enableExpiryNotifications) {
                enableExpiryNotifications(c, flags);
                return;
            }
            if (on != expiryNotifications) {
                log.info("Redis keyspace expiry notifications are {}: followers wait {}", on ? "on" : "off",
                        on ? "for them" : "for the lease's PTTL");
            }
            expiryNotifications = on;
        });
    }

    private void enableExpiryNotifications(RedisClusterAsyncCommands<String, String> c, String flags) {
        String wanted = flags + (flags.contains("K") ? "" : "K") + (flags.contains("x") || flags.contains("A") ? "" : "x");
        c.configSet("notify-keyspace-events", wanted).toCompletableFuture().whenComplete((ok, error) -> {
            if (error != null) {
                log.warn("cannot turn on Redis keyspace expiry notifications ({}); followers wait for the lease's PTTL",
                        RedisScripts.unwrap(error).toString());
                return;
            }
            log.info("turned on Redis keyspace expiry notifications (notify-keyspace-events={})", wanted);
            expiryNotifications = true;
        });
    }

    private void closeConnections() {
        StatefulConnection<String, String> c = connection;
        StatefulRedisPubSubConnection<String, String> ps = pubsub;
        commands = null;
        connection = null;
        pubsub = null;
        for (StatefulConnection<String, String> each : new StatefulConnection[] { c, ps }) {
            if (each != null) {
                try {
                    each.close();
                }
                catch (RuntimeException ex) {
                    log.debug("closing a Redis connection failed", ex);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        connector.shutdownNow();
        closeConnections();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    private final class StateListener implements RedisConnectionStateListener {

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
            if (commands != null && pubsub != null && !closed) {
                detectExpiryNotifications();
                events.connected();
            }
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
            if (!closed) {
                events.disconnected(null);
            }
        }
    }

}
