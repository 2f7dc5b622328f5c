package dev.leader.redis;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import dev.leader.election.Backoff;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
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
import io.lettuce.core.resource.DefaultEventLoopGroupProvider;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.EpollProvider;
import io.lettuce.core.resource.ExtendedKeepAliveSupport;
import io.lettuce.core.resource.IOUringProvider;
import io.lettuce.core.resource.Transports;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
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
 * The backend's patterns are subscribed again whenever a link comes back, because Lettuce
 * re-subscribes only what it saw confirmed, and what was asked for while it reconnected never is.
 *
 * <p><b>Links that die silently.</b> A link whose peer vanished without a FIN or a reset (a
 * host gone, a dropped NAT entry, a black-holing network) stays open for Lettuce until TCP gives
 * up, which, with bytes awaiting acknowledgement, takes the kernel's retransmission limit (about
 * 15 minutes on Linux). Two things find it sooner. TCP keep-alive probes an idle link, as a
 * follower's are, after lease/2 of silence (at least 1 s), then every second, and closes it after
 * 3 unanswered probes (Lettuce reconnects); the kernel answers probes for a process that is
 * stopped or a proxy that swallows bytes, so keep-alive cannot see those. And a link that answered
 * none of the commands sent over a whole lease is closed and connected anew here
 * ({@link #timedOut()}). Where a native transport (epoll, io_uring) is on the class path,
 * TCP_USER_TIMEOUT (the lease) also bounds how long sent bytes may go unacknowledged.
 */
final class RedisConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisConnection.class);

    private final List<RedisURI> uris;

    private final boolean cluster;

    private final AbstractRedisClient client;

    private final ClientResources resources;

    /** Ours, not the resources': shut down after them. */
    private final DefaultEventLoopGroupProvider loops;

    /** The one thread that reads and writes every connection of this backend. */
    private final EventLoop loop;

    private final RedisElectionBackend.Events events;

    private final ScheduledExecutorService connector;

    private final boolean enableExpiryNotifications;

    private final Backoff backoff = Backoff.forReconnect();

    /** The patterns every pub/sub link subscribes, set before {@link #start()}. */
    private volatile List<String> patterns = List.of();

    /** The subscription of the patterns on the current pub/sub link. */
    private volatile CompletableFuture<Void> subscribed = CompletableFuture.completedFuture(null);

    /** How long a link may leave every command unanswered before it counts as dead. */
    private final long silentLinkNanos;

    private final long commandTimeoutNanos;

    /** When the oldest command that got no answer since the last answer was sent; 0 when none. */
    private volatile long unansweredSinceNanos;

    private volatile @Nullable StatefulConnection<String, String> connection;

    private volatile @Nullable RedisClusterAsyncCommands<String, String> commands;

    private volatile @Nullable StatefulRedisPubSubConnection<String, String> pubsub;

    private volatile boolean expiryNotifications;

    private volatile boolean closed;

    RedisConnection(List<RedisURI> uris, boolean cluster, RedisBackendSettings settings, RedisElectionBackend.Events events) {
        Duration timeout = settings.commandTimeout();
        Duration connectTimeout = timeout.compareTo(Duration.ofMillis(500)) > 0 ? timeout : Duration.ofMillis(500);
        // The caller's URIs are kept (a Sentinel URI does not survive a builder copy); TimeoutOptions
        // below bound every command, but the handshake of a new connection (HELLO, AUTH, SELECT)
        // waits for the URI's own timeout, 60 s by default: a reconnect into a silent network
        // would block that long before it tried again.
        SslOptions ssl = settings.ssl();
        for (RedisURI uri : uris) {
            uri.setTimeout(connectTimeout);
            uri.getSentinels().forEach(sentinel -> sentinel.setTimeout(connectTimeout));
            if (ssl != null) {
                // Key and trust material only matter over TLS, so a bundle implies it, as in Boot.
                uri.setSsl(true);
                uri.getSentinels().forEach(sentinel -> sentinel.setSsl(true));
            }
        }
        this.uris = List.copyOf(uris);
        this.cluster = cluster;
        this.events = events;
        this.enableExpiryNotifications = settings.enableExpiryNotifications();
        this.silentLinkNanos = settings.lease().toNanos();
        this.commandTimeoutNanos = timeout.toNanos();
        SocketOptions socket = socketOptions(settings.lease(), connectTimeout);
        // Lettuce's default reconnect delay grows to 30 s; a leaderless election should not wait
        // that long once Redis is back, so the delay is capped at the lease (at most 5 s).
        Duration cap = settings.lease().compareTo(Duration.ofSeconds(5)) < 0 ? settings.lease() : Duration.ofSeconds(5);
        // One event loop for both connections (all of a Cluster's too), and the elections' logic
        // runs on it (see loop()). Lettuce's own provider would start at least two.
        this.loops = new DefaultEventLoopGroupProvider(1, pool -> new DefaultThreadFactory("leader-redis-io", true));
        this.loop = loops.allocate(Transports.eventLoopGroupClass()).next();
        this.resources = DefaultClientResources.builder()
                .eventLoopGroupProvider(loops)
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
            if (ssl != null) {
                options.sslOptions(ssl);
            }
            RedisClusterClient clusterClient = RedisClusterClient.create(resources, this.uris);
            clusterClient.setOptions(options.build());
            this.client = clusterClient;
        }
        else {
            ClientOptions.Builder options = ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .replayFilter(command -> true)
                    .timeoutOptions(TimeoutOptions.enabled(timeout))
                    .socketOptions(socket);
            if (ssl != null) {
                options.sslOptions(ssl);
            }
            RedisClient redisClient = RedisClient.create(resources);
            redisClient.setOptions(options.build());
            this.client = redisClient;
        }
        this.client.addListener(new StateListener());
        this.connector = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "leader-redis-connect");
            t.setDaemon(true);
            return t;
        });
    }

    /** Keep-alive after lease/2 idle (whole seconds, at least 1), see the class comment. */
    static SocketOptions socketOptions(Duration lease, Duration connectTimeout) {
        SocketOptions.Builder socket = SocketOptions.builder().connectTimeout(connectTimeout);
        // Lettuce refuses to connect with options it cannot apply: idle, interval and count need
        // a native transport or a JDK that offers them on its own sockets (Linux, macOS).
        if (ExtendedKeepAliveSupport.isSupported()) {
            socket.keepAlive(SocketOptions.KeepAliveOptions.builder().enable()
                    .idle(Duration.ofSeconds(Math.max(1, lease.dividedBy(2).toSeconds())))
                    .interval(Duration.ofSeconds(1)).count(3).build());
        }
        else {
            log.info("TCP keep-alive with the operating system's timings: this JDK cannot set them per socket");
            socket.keepAlive(true);
        }
        // Only a native transport can set this one; Lettuce refuses to connect with it otherwise.
        if (EpollProvider.isAvailable() || IOUringProvider.isAvailable()) {
            socket.tcpUserTimeout(SocketOptions.TcpUserTimeoutOptions.builder().enable().tcpUserTimeout(lease).build());
        }
        return socket.build();
    }

    void start() {
        connector.execute(this::connect);
    }

    /**
     * The event loop of the backend's connections. Work run on it needs no hand-off to answer a
     * message or to send a command, and the replies to what it sent complete on it: a task
     * queued from it runs right after the current one, a command written from it leaves at once.
     * Nothing may block on it, least of all waiting for a reply, which only it could read.
     */
    EventLoop loop() {
        return loop;
    }

    /** The server answered a command (a reply or an error of its own). */
    void answered() {
        unansweredSinceNanos = 0;
    }

    /**
     * A command got no answer within its timeout. Once the commands sent over a whole lease all
     * went unanswered, the link is closed and connected anew: a new connection may find a new
     * route, a new master or a new NAT entry, and while it cannot, the backend reports Redis down.
     */
    void timedOut() {
        long now = System.nanoTime();
        long since = unansweredSinceNanos;
        if (since == 0) {
            unansweredSinceNanos = now - commandTimeoutNanos;
            return;
        }
        StatefulConnection<String, String> silent = connection;
        if (now - since > silentLinkNanos && silent != null) {
            connector.execute(() -> dropSilent(silent));
        }
    }

    private void dropSilent(StatefulConnection<String, String> silent) {
        if (closed || connection != silent) {
            return;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - unansweredSinceNanos);
        log.warn("Redis {} answered no command for {} ms: closing the links and connecting anew", uris, millis);
        closeConnections();
        events.disconnected(new RedisCommandTimeoutException("no answer from Redis for " + millis + " ms"));
        connect();
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

    /** Subscribes {@code names} (glob patterns) on every pub/sub link from {@link #start()} on. */
    void subscribe(List<String> names) {
        patterns = List.copyOf(names);
    }

    /**
     * Completes once the patterns are subscribed on the current pub/sub link; at once while
     * there is none (the next link subscribes them before it counts as connected).
     */
    CompletableFuture<Void> subscribed() {
        return subscribed;
    }

    private void connect() {
        if (closed) {
            return;
        }
        try {
            StatefulRedisPubSubConnection<String, String> ps;
            RedisClusterAsyncCommands<String, String> async;
            if (client instanceof RedisClusterClient clusterClient) {
                StatefulRedisClusterConnection<String, String> c = clusterClient.connect(StringCodec.UTF8);
                connection = c;
                async = c.async();
                ps = clusterClient.connectPubSub(StringCodec.UTF8);
            }
            else {
                RedisClient redisClient = (RedisClient) client;
                StatefulRedisConnection<String, String> c = redisClient.connect(StringCodec.UTF8, uris.get(0));
                connection = c;
                async = c.async();
                ps = redisClient.connectPubSub(StringCodec.UTF8, uris.get(0));
            }
            ps.addListener(events);
            CompletableFuture<Void> subscription = psubscribe(ps);
            subscribed = subscription;
            pubsub = ps;
            subscription.get(5, TimeUnit.SECONDS);
            // Only now may elections send: one that read a lease before the patterns were
            // subscribed could miss the release that follows, and wait for a whole lease.
            commands = async;
            backoff.reset();
            unansweredSinceNanos = 0;
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

    /** Subscribes the patterns again (a no-op when they still are). */
    private void resubscribe() {
        StatefulRedisPubSubConnection<String, String> ps = pubsub;
        if (ps == null) {
            return;
        }
        CompletableFuture<Void> subscription = psubscribe(ps);
        subscribed = subscription;
        subscription.whenComplete((ok, error) -> {
            if (error != null) {
                // The pub/sub link is still down: its own reconnect brings us back here.
                log.debug("re-subscribing after a reconnect failed: {}", RedisScripts.unwrap(error).toString());
            }
        });
    }

    private CompletableFuture<Void> psubscribe(StatefulRedisPubSubConnection<String, String> ps) {
        List<String> names = patterns;
        if (names.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return ps.async().psubscribe(names.toArray(String[]::new)).toCompletableFuture();
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
        awaitConnector();
        closeConnections();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
        loops.shutdown(0, 2, TimeUnit.SECONDS);
        // The provider ends the loop only once every reference to it is given back, and a client
        // that a connect in flight made take one after its shutdown never gives it back: the
        // loop's thread would outlive the backend. The loop is ours alone, so it ends here.
        loop.parent().shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }

    /** Lets a connect in flight see the interrupt and close what it opened, for a bounded time. */
    private void awaitConnector() {
        try {
            if (!connector.awaitTermination(2, TimeUnit.SECONDS)) {
                log.debug("a connect to Redis {} did not end within 2 s of closing", uris);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private final class StateListener implements RedisConnectionStateListener {

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
            if (commands != null && pubsub != null && !closed) {
                resubscribe();
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
