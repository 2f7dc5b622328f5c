package dev.leader.zookeeper;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A loopback TCP proxy between a ZooKeeper client and server that can fail in the ways a
 * network does: drop the connection right after forwarding a candidate-node create (the
 * server applies it, the client never hears), refuse new connections, hold back one reply
 * (a slow link: every byte after it waits too), and black-hole every connection (no bytes, no
 * FIN, like a partition) until healed. Both directions are read frame by frame: ZooKeeper
 * prefixes every packet with its length. It also counts, per session, the requests it forwarded
 * and the bytes of the replies and notifications it delivered, pings excluded.
 */
final class TcpProxy implements AutoCloseable {

    /** ZooKeeper op codes: create, create2, createContainer, createTTL. */
    private static final Set<Integer> CREATES = Set.of(1, 15, 19, 21);

    private static final int SYNC = 9;

    /** ZooKeeper op codes of reads: exists, getData, getChildren, getChildren2. */
    private static final Set<Integer> READS = Set.of(3, 4, 8, 12);

    /** The xid of pings and their replies. */
    private static final int PING_XID = -2;

    /** No reply is being held back. */
    private static final int NO_XID = Integer.MIN_VALUE;

    private final ServerSocket listener;

    private final int targetPort;

    private final Set<Link> links = ConcurrentHashMap.newKeySet();

    private final AtomicBoolean dropNextCreate = new AtomicBoolean();

    private final AtomicInteger createsDropped = new AtomicInteger();

    private final AtomicInteger syncs = new AtomicInteger();

    private final AtomicBoolean delayNextSync = new AtomicBoolean();

    private final AtomicInteger syncsDelayed = new AtomicInteger();

    private final Map<Long, Counters> trafficBySession = new ConcurrentHashMap<>();

    private volatile long syncDelayNanos;

    private volatile boolean refuseAfterDrop;

    private volatile boolean refusing;

    private volatile boolean partitioned;

    private volatile boolean closed;

    TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String connectString() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** The next candidate-node create is forwarded, then both sockets are closed before any reply. */
    void dropAfterNextCandidateCreate() {
        dropNextCreate.set(true);
    }

    /**
     * As {@link #dropAfterNextCandidateCreate()}, and from that moment every new connection is
     * closed at once, until {@link #heal()}: the client cannot learn what became of its create.
     */
    void dropAfterNextCandidateCreateThenRefuse() {
        refuseAfterDrop = true;
        dropNextCreate.set(true);
    }

    int createsDropped() {
        return createsDropped.get();
    }

    /** The reply to the next {@code sync}, and every byte the server sends after it, is held back for {@code delay}. */
    void delayNextSyncReply(Duration delay) {
        syncDelayNanos = delay.toNanos();
        delayNextSync.set(true);
    }

    /** The {@code sync} requests forwarded so far. */
    int syncs() {
        return syncs.get();
    }

    /** The {@code sync} replies held back so far. */
    int syncsDelayed() {
        return syncsDelayed.get();
    }

    /** What each session (by id) has sent and received through the proxy so far, pings excluded. */
    Map<Long, Traffic> traffic() {
        Map<Long, Traffic> snapshot = new HashMap<>();
        trafficBySession.forEach((session, counters) -> snapshot.put(session,
                new Traffic(counters.requests.get(), counters.reads.get(), counters.bytesReceived.get())));
        return snapshot;
    }

    /**
     * @param requests requests forwarded to the server
     * @param reads of them, reads of a node or of its children ({@code exists}, {@code getData}, {@code getChildren})
     * @param bytesReceived bytes of replies and watch notifications delivered to the client, length prefixes included
     */
    record Traffic(int requests, int reads, long bytesReceived) {

        Traffic minus(Traffic earlier) {
            return new Traffic(requests - earlier.requests, reads - earlier.reads, bytesReceived - earlier.bytesReceived);
        }
    }

    private static final class Counters {

        final AtomicInteger requests = new AtomicInteger();

        final AtomicInteger reads = new AtomicInteger();

        final AtomicLong bytesReceived = new AtomicLong();
    }

    /** Every current and future connection stops carrying bytes, until {@link #heal()}. */
    void partition() {
        partitioned = true;
        links.forEach(link -> link.dead = true);
    }

    /** New connections carry bytes again; connections from the partition stay dead. */
    void heal() {
        refusing = false;
        partitioned = false;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                if (refusing) {
                    client.close();
                    continue;
                }
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                Link link = new Link(client, server);
                link.dead = partitioned;
                links.add(link);
                start("tcp-proxy-up", () -> link.pumpRequests());
                start("tcp-proxy-down", () -> link.pumpReplies());
            }
            catch (IOException ex) {
                if (!closed) {
                    ex.printStackTrace();
                }
            }
        }
    }

    private static void start(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        links.forEach(Link::close);
    }

    private final class Link {

        private final Socket client;

        private final Socket server;

        volatile boolean dead;

        /** The xid of the sync whose reply is to be held back. */
        volatile int delayedXid = NO_XID;

        /** The counters of this connection's session, once the server's connect response named it. */
        volatile @Nullable Counters counters;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        /** Client to server, frame by frame: the first frame is the connect request, then header (xid, type) + body. */
        void pumpRequests() {
            try (DataInputStream in = new DataInputStream(client.getInputStream())) {
                DataOutputStream out = new DataOutputStream(server.getOutputStream());
                boolean first = true;
                while (true) {
                    int length = in.readInt();
                    byte[] frame = new byte[length];
                    in.readFully(frame);
                    if (dead) {
                        continue;
                    }
                    Counters session = counters;
                    if (!first && session != null && xid(frame) != PING_XID) {
                        session.requests.incrementAndGet();
                        if (READS.contains(type(frame))) {
                            session.reads.incrementAndGet();
                        }
                    }
                    if (!first && type(frame) == SYNC) {
                        syncs.incrementAndGet();
                        if (delayNextSync.compareAndSet(true, false)) {
                            delayedXid = xid(frame);
                        }
                    }
                    out.writeInt(length);
                    out.write(frame);
                    out.flush();
                    if (!first && isCandidateCreate(frame) && dropNextCreate.compareAndSet(true, false)) {
                        if (refuseAfterDrop) {
                            refusing = true;
                        }
                        createsDropped.incrementAndGet();
                        close();
                        return;
                    }
                    first = false;
                }
            }
            catch (IOException ex) {
                close();
            }
        }

        /** Server to client, frame by frame: the connect response, then reply header (xid, zxid, err) + body. */
        void pumpReplies() {
            try (DataInputStream in = new DataInputStream(server.getInputStream())) {
                DataOutputStream out = new DataOutputStream(client.getOutputStream());
                boolean first = true;
                while (true) {
                    int length = in.readInt();
                    byte[] frame = new byte[length];
                    in.readFully(frame);
                    if (dead) {
                        continue;
                    }
                    if (first && frame.length >= 16) {
                        // The connect response: protocol version, timeout, session id, ...
                        counters = trafficBySession.computeIfAbsent(longAt(frame, 8), id -> new Counters());
                    }
                    else {
                        Counters session = counters;
                        if (session != null && frame.length >= 4 && xid(frame) != PING_XID) {
                            session.bytesReceived.addAndGet(4 + length);
                        }
                    }
                    first = false;
                    int held = delayedXid;
                    if (held != NO_XID && frame.length >= 4 && xid(frame) == held) {
                        delayedXid = NO_XID;
                        syncsDelayed.incrementAndGet();
                        // A slow link: this reply, and all that follows it on the stream, arrives late.
                        LockSupport.parkNanos(syncDelayNanos);
                    }
                    out.writeInt(length);
                    out.write(frame);
                    out.flush();
                }
            }
            catch (IOException ex) {
                close();
            }
        }

        void close() {
            links.remove(this);
            try {
                client.close();
            }
            catch (IOException ex) {
                // already closed
            }
            try {
                server.close();
            }
            catch (IOException ex) {
                // already closed
            }
        }
    }

    private static boolean isCandidateCreate(byte[] frame) {
        return CREATES.contains(type(frame)) && new String(frame, StandardCharsets.ISO_8859_1).contains("-n_");
    }

    private static int xid(byte[] frame) {
        return intAt(frame, 0);
    }

    /** A request's op code; -1 for a frame too short to have one. */
    private static int type(byte[] frame) {
        return frame.length < 8 ? -1 : intAt(frame, 4);
    }

    private static long longAt(byte[] frame, int offset) {
        return ((long) intAt(frame, offset) << 32) | (intAt(frame, offset + 4) & 0xffffffffL);
    }

    private static int intAt(byte[] frame, int offset) {
        return ((frame[offset] & 0xff) << 24) | ((frame[offset + 1] & 0xff) << 16) | ((frame[offset + 2] & 0xff) << 8)
                | (frame[offset + 3] & 0xff);
    }
}
