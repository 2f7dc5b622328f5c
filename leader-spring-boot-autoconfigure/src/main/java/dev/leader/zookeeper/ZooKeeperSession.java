package dev.leader.zookeeper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import dev.leader.election.BackendStatus;
import dev.leader.election.BackendStatusTracker;
import dev.leader.election.Backoff;
import dev.leader.election.SerialLane;
import dev.leader.election.SerialLanes;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.data.ACL;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ZooKeeper client, one session at a time, and the housekeeping of candidate nodes on it:
 * what every election of a backend shares. It keeps the backend's status, retries deletes whose
 * reply was lost, and turns the client's connection states into calls on its {@link Listener}:
 * connected (re-check), suspended (stop believing at the lease deadline), expired (revoke, then
 * a new session and a new campaign).
 */
final class ZooKeeperSession {

    private static final Logger log = LoggerFactory.getLogger(ZooKeeperSession.class);

    /** Threads that run the elections' steps, for any number of elections. */
    static final int LANE_WORKERS = 4;

    /** Told of the session's states; every call concerns all elections at once. */
    interface Listener {

        void connected();

        void suspended();

        void expired();

        /** False once the backend is closed: events then concern nobody. */
        boolean isOpen();
    }

    private final ZooKeeperBackendSettings settings;

    /** {@code [backend=zookeeper, connect=…]}: backend lines concern every election at once. */
    private final String logPrefix;

    private final Listener listener;

    private final BackendStatusTracker status = new BackendStatusTracker();

    /** TLS to the servers, or null for plain TCP; its files live as long as the session. */
    private final @Nullable ClientTlsConfig tls;

    /** Nodes whose delete was not confirmed; retried on every reconnect so none outlives its owner's intent. */
    private final Set<String> pendingReleases = ConcurrentHashMap.newKeySet();

    /** Closed candidates whose nodes were not yet all found and deleted; retried on every reconnect. */
    private final Set<ClosedCandidate> pendingSweeps = ConcurrentHashMap.newKeySet();

    /**
     * The threads every election's lane runs on, so a backend costs the same threads for one
     * election or ten thousand (issue 20). The workers block on round trips (a campaign's calls
     * are synchronous; listeners never run here), so a few let slow calls of some elections
     * overlap the calls of the others.
     */
    private final SerialLanes lanes = new SerialLanes("leader-zookeeper", LANE_WORKERS);

    private final SerialLane reopener = lanes.lane();

    private final SharedRenewal renewal;

    private final Backoff reopenBackoff = Backoff.forReconnect();

    // Set by open(), under its watcher's lock, so that no event of the new client is missed.
    @SuppressWarnings("NullAway.Init")
    private volatile ZooKeeper client;

    private volatile boolean connected;

    /**
     * Opens the session in the background; a server that is down now is retried by the client.
     *
     * @throws IllegalArgumentException if the client cannot be built from {@code settings}
     */
    ZooKeeperSession(ZooKeeperBackendSettings settings, Listener listener) {
        this.settings = settings;
        this.listener = listener;
        this.logPrefix = "[backend=zookeeper, connect=" + settings.connectString() + "]";
        if (settings.tls() != null || settings.ssl() != null) {
            requireNettyClasses();
        }
        this.tls = ClientTlsConfig.of(settings);
        try {
            open();
        }
        catch (IOException ex) {
            if (tls != null) {
                tls.close();
            }
            throw new IllegalArgumentException("cannot create a ZooKeeper client for leader.zookeeper.connect-string '"
                    + settings.connectString() + "': " + ex.getMessage(), ex);
        }
        // A sixth of the session timeout: a leader believes for two thirds after the last
        // confirmation's send time, so three confirmations in a row may fail before it stops.
        this.renewal = new SharedRenewal(this, lanes, settings.sessionTimeout().dividedBy(6));
    }

    private static void requireNettyClasses() {
        for (String type : new String[] { "io.netty.handler.ssl.SslContext", "io.netty.channel.epoll.Epoll" }) {
            try {
                Class.forName(type, false, ZooKeeperSession.class.getClassLoader());
            }
            catch (ClassNotFoundException ex) {
                throw new IllegalArgumentException("TLS to ZooKeeper (leader.zookeeper.ssl.bundle or leader.zookeeper.tls) needs"
                        + " ZooKeeper's Netty client socket: add io.netty:netty-handler and io.netty:netty-transport-classes-epoll to the class path (" + type + " is missing)", ex);
            }
        }
    }

    private void open() throws IOException {
        ZKClientConfig config = new ZKClientConfig();
        if (tls != null) {
            tls.applyTo(config);
        }
        SessionWatcher watcher = new SessionWatcher();
        // Under the watcher's lock: the first event must not be seen before we know our client.
        synchronized (watcher) {
            ZooKeeper zk = new ZooKeeper(settings.connectString(), (int) settings.sessionTimeout().toMillis(), watcher, false, config);
            String auth = settings.digestAuth();
            if (auth != null) {
                zk.addAuthInfo("digest", auth.getBytes(StandardCharsets.UTF_8));
            }
            watcher.owner = zk;
            client = zk;
        }
    }

    /** The session timeout the server granted (it may clamp what was asked), once connected. */
    Duration lease() {
        ZooKeeper zk = client;
        int negotiated = zk == null ? 0 : zk.getSessionTimeout();
        return negotiated > 0 ? Duration.ofMillis(negotiated) : settings.sessionTimeout();
    }

    BackendStatus status() {
        return status.status("not connected to ZooKeeper at " + settings.connectString());
    }

    /** Ends the session, which deletes every ephemeral node of ours at once. */
    void close() {
        reopener.shutdown();
        // Queued steps of the closed elections still run (they see their election closed).
        lanes.close();
        try {
            client.close(1000);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        finally {
            if (tls != null) {
                tls.close();
            }
        }
    }

    String logPrefix() {
        return logPrefix;
    }

    ZooKeeperBackendSettings settings() {
        return settings;
    }

    ZooKeeper client() {
        return client;
    }

    /** The confirmations that renew every leader of this session at once. */
    SharedRenewal renewal() {
        return renewal;
    }

    /** A serial lane for one election, on the threads this session's elections share. */
    SerialLane lane() {
        return lanes.lane();
    }

    boolean isConnected() {
        return connected && listener.isOpen();
    }

    List<ACL> acl() {
        return settings.digestAuth() != null ? ZooDefs.Ids.CREATOR_ALL_ACL : ZooDefs.Ids.OPEN_ACL_UNSAFE;
    }

    /** A call that took {@code nanos} round trip succeeded. */
    void succeeded(long nanos) {
        status.succeeded(nanos);
    }

    /** A call failed without the connection being lost (a refused request). */
    void recordError(String error) {
        status.error(error);
    }

    /**
     * How much earlier than the send time a confirmation must be dated when the server granted
     * a shorter session than we asked for: the lease was built from the requested timeout.
     */
    long shortfallNanos(ZooKeeper zk) {
        long requested = settings.sessionTimeout().toNanos();
        long negotiated = TimeUnit.MILLISECONDS.toNanos(zk.getSessionTimeout());
        return negotiated > 0 && negotiated < requested ? (requested - negotiated) * 2 / 3 : 0;
    }

    boolean isReleasing(String path) {
        return pendingReleases.contains(path);
    }

    /** Creates {@code electionPath} and its parents, unless it exists. */
    void ensureElectionNode(ZooKeeper zk, String electionPath) throws KeeperException, InterruptedException {
        if (zk.exists(electionPath, false) != null) {
            return;
        }
        StringBuilder path = new StringBuilder();
        String[] segments = electionPath.substring(1).split("/");
        for (int i = 0; i < segments.length; i++) {
            path.append('/').append(segments[i]);
            boolean last = i == segments.length - 1;
            try {
                // The election node is a container: the server removes it once its last candidate is gone.
                zk.create(path.toString(), new byte[0], acl(), last ? CreateMode.CONTAINER : CreateMode.PERSISTENT);
            }
            catch (KeeperException.NodeExistsException ex) {
                // created by another candidate
            }
            catch (KeeperException.NoNodeException ex) {
                int slash = settings.connectString().indexOf('/');
                if (i == 0 && slash >= 0) {
                    // ZooKeeper creates no chroot; without it every path below fails alike.
                    throw new IllegalStateException("the chroot " + settings.connectString().substring(slash)
                            + " of leader.zookeeper.connect-string does not exist: create it", ex);
                }
                throw ex;
            }
        }
    }

    /** Deletes {@code path} now; if the reply is lost, again after every reconnect until done. */
    void release(ZooKeeper zk, String path) {
        pendingReleases.add(path);
        zk.delete(path, -1, (rc, p, ctx) -> {
            KeeperException.Code code = KeeperException.Code.get(rc);
            if (code == KeeperException.Code.OK || code == KeeperException.Code.NONODE
                    || code == KeeperException.Code.SESSIONEXPIRED) {
                pendingReleases.remove(p);
            }
            else {
                log.debug("{} delete of {} not confirmed ({}); retried on reconnect", logPrefix, p, code);
            }
        }, null);
    }

    /**
     * Deletes every node of the candidate {@code guid} under {@code electionPath}, including
     * one made by a create whose reply was lost; if the connection is down, again after every
     * reconnect until done.
     */
    void releaseAll(ZooKeeper zk, String electionPath, String guid) {
        ClosedCandidate candidate = new ClosedCandidate(electionPath, guid);
        pendingSweeps.add(candidate);
        sweep(zk, candidate);
    }

    private void sweep(ZooKeeper zk, ClosedCandidate candidate) {
        // The sync orders the read after a create still on its way through another server.
        zk.sync(candidate.electionPath(), (syncRc, syncPath, syncCtx) -> {
            if (KeeperException.Code.get(syncRc) != KeeperException.Code.OK) {
                return;
            }
            zk.getChildren(candidate.electionPath(), false, (rc, path, ctx, children) -> {
                KeeperException.Code code = KeeperException.Code.get(rc);
                if (code == KeeperException.Code.OK) {
                    for (CandidateNode node : CandidateNode.sorted(children)) {
                        if (node.guid().equals(candidate.guid())) {
                            release(zk, path + "/" + node.name());
                        }
                    }
                }
                if (code == KeeperException.Code.OK || code == KeeperException.Code.NONODE) {
                    pendingSweeps.remove(candidate);
                }
            }, null);
        }, null);
    }

    private record ClosedCandidate(String electionPath, String guid) {
    }

    // ---- session events ----

    private void onConnected(ZooKeeper zk) {
        connected = true;
        status.connected();
        reopenBackoff.reset();
        if (zk.getSessionTimeout() < settings.sessionTimeout().toMillis()) {
            log.warn("{} ZooKeeper negotiated a session timeout of {} ms, shorter than the {} ms asked; leases are shortened to match",
                    logPrefix, zk.getSessionTimeout(), settings.sessionTimeout().toMillis());
        }
        for (String path : pendingReleases) {
            release(zk, path);
        }
        for (ClosedCandidate candidate : pendingSweeps) {
            sweep(zk, candidate);
        }
        listener.connected();
    }

    private void onDisconnected() {
        connected = false;
        status.failed("disconnected from ZooKeeper");
        listener.suspended();
    }

    private void onExpired(ZooKeeper expired) {
        connected = false;
        String why = "ZooKeeper session 0x" + Long.toHexString(expired.getSessionId()) + " expired";
        status.failed(why);
        log.warn("{} {}; revoking and opening a new session", logPrefix, why);
        // The server deleted our ephemeral nodes with the session; nothing is left to release.
        pendingReleases.clear();
        pendingSweeps.clear();
        listener.expired();
        reopener.execute(() -> reopen(expired));
    }

    private void reopen(ZooKeeper expired) {
        if (!listener.isOpen() || client != expired) {
            return;
        }
        try {
            expired.close(100);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            open();
            if (!listener.isOpen()) {
                // close() ran while we opened; it closed the client before this one.
                client.close(100);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (IOException | RuntimeException ex) {
            String why = "cannot open a new ZooKeeper session: " + ex;
            status.failed(why);
            Duration wait = reopenBackoff.next();
            log.warn("{} {}; retrying in {} ms", logPrefix, why, wait.toMillis());
            reopener.schedule(wait, () -> reopen(expired));
        }
    }

    /** Connection events of one client; events of a replaced client are stale and ignored. */
    private final class SessionWatcher implements Watcher {

        private @Nullable ZooKeeper owner;

        @Override
        public synchronized void process(WatchedEvent event) {
            ZooKeeper zk = owner;
            if (event.getType() != Event.EventType.None || zk == null || zk != client || !listener.isOpen()) {
                return;
            }
            switch (event.getState()) {
                case SyncConnected -> onConnected(zk);
                case Disconnected -> onDisconnected();
                case Expired -> onExpired(zk);
                case AuthFailed -> {
                    status.error("ZooKeeper authentication failed");
                    log.error("{} ZooKeeper authentication failed: check leader.zookeeper.auth", logPrefix);
                }
                default -> log.debug("{} ZooKeeper connection state {}", logPrefix, event.getState());
            }
        }
    }
}
