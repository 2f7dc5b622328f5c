package dev.leader.etcd;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy in front of one etcd member that can silence the watches open through
 * it: their connections stay open but carry no more bytes either way, as when a NAT or a
 * firewall forgets a long-lived connection. Every other call, and every watch opened later,
 * still gets through, so the member looks healthy to everything but the silenced watches.
 */
final class WatchSilencingProxy implements AutoCloseable {

    private static final byte[] WATCH_REQUEST = "POST /v3/watch ".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket listener;

    private final int targetPort;

    private final Set<Link> links = ConcurrentHashMap.newKeySet();

    private volatile boolean closed;

    WatchSilencingProxy(URI member) throws IOException {
        this.targetPort = member.getPort();
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("watch-proxy-accept", this::acceptLoop);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /** Every watch open now goes quiet for good; watches opened later are not touched. */
    void silenceOpenWatches() {
        links.stream().filter(link -> link.carriesWatch).forEach(link -> link.silent = true);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        links.forEach(Link::close);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Link link = new Link(client, new Socket(InetAddress.getLoopbackAddress(), targetPort));
                links.add(link);
                daemon("watch-proxy-up", () -> link.pump(link.client, link.server, true));
                daemon("watch-proxy-down", () -> link.pump(link.server, link.client, false));
            }
            catch (IOException ex) {
                if (!closed) {
                    System.err.println("watch proxy: " + ex);
                }
            }
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private final class Link {

        final Socket client;

        final Socket server;

        volatile boolean carriesWatch;

        volatile boolean silent;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void pump(Socket from, Socket to, boolean upstream) {
            byte[] buffer = new byte[8192];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (upstream && contains(buffer, n, WATCH_REQUEST)) {
                        carriesWatch = true;
                    }
                    if (!silent) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            }
            catch (IOException ex) {
                // one side closed: close both, as a proxy does
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

    private static boolean contains(byte[] buffer, int length, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (buffer[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
