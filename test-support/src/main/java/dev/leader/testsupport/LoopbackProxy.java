package dev.leader.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy in front of a server, for the faults a network makes without closing
 * anything: {@link #cut()} makes every connection swallow its bytes both ways, with no reply, no
 * FIN and no reset (the client's kernel still sees its segments acknowledged, by this process's
 * kernel), as a black-holed link does; {@link #silenceConnectionsThatSent} does so to some
 * connections only, as a NAT that forgets long-lived ones; {@link #retarget} sends new
 * connections to another server, as a failover to a replica at a new address. Bytes read while a
 * connection is silent are dropped, never delivered late.
 */
public final class LoopbackProxy implements AutoCloseable {

    private final ServerSocket listener;

    private final Set<Link> links = ConcurrentHashMap.newKeySet();

    private volatile int targetPort;

    private volatile boolean cut;

    private volatile boolean closed;

    private LoopbackProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("proxy-accept-" + port(), this::acceptLoop);
    }

    /** A proxy on a free loopback port to {@code targetPort} on loopback. */
    public static LoopbackProxy to(int targetPort) throws IOException {
        return new LoopbackProxy(targetPort);
    }

    /** The port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** New connections go to {@code port}; open ones stay where they are. */
    public void retarget(int port) {
        this.targetPort = port;
    }

    /** Every open and every new connection stops carrying bytes, both ways; none is closed. */
    public void cut() {
        cut = true;
        links.forEach(link -> link.silent = true);
    }

    /** The link is back: every connection, the ones cut included, carries bytes again. */
    public void heal() {
        cut = false;
        links.forEach(link -> link.silent = false);
    }

    /** New connections carry bytes again; the ones cut stay silent for good, as after a lost NAT entry. */
    public void healNewConnections() {
        cut = false;
    }

    /**
     * Every open connection whose client has sent {@code marker} (such as {@code POST /v3/watch })
     * among its last 64 KiB goes silent for good; the others, and every later one, are not touched.
     */
    public void silenceConnectionsThatSent(String marker) {
        links.stream().filter(link -> link.sent(marker)).forEach(link -> link.silent = true);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            }
            catch (IOException ex) {
                continue; // closed, or one failed accept
            }
            try {
                Link link = new Link(client, new Socket(InetAddress.getLoopbackAddress(), targetPort));
                link.silent = cut;
                links.add(link);
                daemon("proxy-up", () -> link.pump(client, link.server, true));
                daemon("proxy-down", () -> link.pump(link.server, client, false));
            }
            catch (IOException ex) {
                // the target is down: refuse this client as the server would have
                closeQuietly(client);
            }
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        }
        catch (IOException ex) {
            // already closed
        }
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

        /** The last 64 KiB the client sent, for {@link #silenceConnectionsThatSent}. */
        private final StringBuffer sentByClient = new StringBuffer();

        volatile boolean silent;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        boolean sent(String marker) {
            return sentByClient.indexOf(marker) >= 0;
        }

        void pump(Socket from, Socket to, boolean fromClient) {
            byte[] buffer = new byte[16384];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (fromClient) {
                        sentByClient.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                        if (sentByClient.length() > 65536) {
                            sentByClient.delete(0, sentByClient.length() - 65536);
                        }
                    }
                    if (!silent) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            }
            catch (IOException ex) {
                // one side closed
            }
            // A silent link closes nothing: a black hole sends no FIN.
            if (!silent) {
                close();
            }
        }

        void close() {
            links.remove(this);
            closeQuietly(client);
            closeQuietly(server);
        }
    }
}
