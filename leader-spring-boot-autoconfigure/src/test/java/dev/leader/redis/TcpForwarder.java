package dev.leader.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP forwarder between Redis clients and a server, for the faults a network and a
 * failover make: {@link #target(int)} sends new connections to another server (a promoted
 * replica at a new address), and {@link #blackHole()} makes every connection swallow its bytes
 * without a reply, a FIN or a reset (a silently dropped link: the clients' kernel still sees its
 * segments acknowledged, by this process's kernel) until {@link #heal()}.
 */
final class TcpForwarder implements AutoCloseable {

    private final ServerSocket listener;

    private final Set<Link> links = ConcurrentHashMap.newKeySet();

    private volatile int targetPort;

    private volatile boolean silent;

    private volatile boolean closed;

    TcpForwarder(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("forwarder-accept", this::acceptLoop);
    }

    String url() {
        return "redis://127.0.0.1:" + listener.getLocalPort();
    }

    /** New connections go to {@code port}; current ones stay where they are. */
    void target(int port) {
        this.targetPort = port;
    }

    /** Every current and new connection stops carrying bytes, both ways, and is never closed. */
    void blackHole() {
        silent = true;
        links.forEach(link -> link.dead = true);
    }

    /** New connections carry bytes again; those black-holed stay so, as after a lost NAT entry. */
    void heal() {
        silent = false;
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
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                Link link = new Link(client, server);
                link.dead = silent;
                links.add(link);
                daemon("forwarder-up", () -> link.pump(client, server));
                daemon("forwarder-down", () -> link.pump(server, client));
            }
            catch (IOException ex) {
                // the target is down: refuse this client as the server would have
                close(client);
            }
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
    }

    private static void close(Socket socket) {
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

        volatile boolean dead;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
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
                // one side closed
            }
            if (!dead) {
                close();
            }
        }

        void close() {
            links.remove(this);
            TcpForwarder.close(client);
            TcpForwarder.close(server);
        }
    }
}
