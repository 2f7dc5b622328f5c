package dev.leader.zookeeper;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy between a ZooKeeper client and server that can fail in two ways a
 * network does: drop the connection right after forwarding a candidate-node create (the
 * server applies it, the client never hears), and black-hole every connection (no bytes, no
 * FIN, like a partition) until healed.
 */
final class TcpProxy implements AutoCloseable {

    /** ZooKeeper op codes: create, create2, createContainer, createTTL. */
    private static final Set<Integer> CREATES = Set.of(1, 15, 19, 21);

    private final ServerSocket listener;

    private final int targetPort;

    private final Set<Link> links = ConcurrentHashMap.newKeySet();

    private final AtomicBoolean dropNextCreate = new AtomicBoolean();

    private final AtomicInteger createsDropped = new AtomicInteger();

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

    int createsDropped() {
        return createsDropped.get();
    }

    /** Every current and future connection stops carrying bytes, until {@link #heal()}. */
    void partition() {
        partitioned = true;
        links.forEach(link -> link.dead = true);
    }

    /** New connections carry bytes again; connections from the partition stay dead. */
    void heal() {
        partitioned = false;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                Link link = new Link(client, server);
                link.dead = partitioned;
                links.add(link);
                start("tcp-proxy-up", () -> link.pumpRequests());
                start("tcp-proxy-down", () -> link.pump(server, client));
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
                    out.writeInt(length);
                    out.write(frame);
                    out.flush();
                    if (!first && isCandidateCreate(frame) && dropNextCreate.compareAndSet(true, false)) {
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

        void pump(Socket from, Socket to) {
            byte[] buffer = new byte[8192];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!dead) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            }
            catch (IOException ex) {
                // closed
            }
            close();
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
        if (frame.length < 8) {
            return false;
        }
        int type = ((frame[4] & 0xff) << 24) | ((frame[5] & 0xff) << 16) | ((frame[6] & 0xff) << 8) | (frame[7] & 0xff);
        return CREATES.contains(type) && new String(frame, StandardCharsets.ISO_8859_1).contains("-n_");
    }
}
