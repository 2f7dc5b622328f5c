package dev.leader.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy to a database that can be cut like a network partition: from
 * {@link #cut()} on, no byte passes either way and no connection is closed (no FIN, no RST), and
 * new connections are accepted but carry nothing, until {@link #heal()}.
 */
final class BlackHoleProxy implements AutoCloseable {

    private final ServerSocket listener;

    private final int targetPort;

    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    private volatile boolean cut;

    private volatile boolean closed;

    BlackHoleProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        start("proxy-accept", this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    void cut() {
        cut = true;
    }

    void heal() {
        cut = false;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(server);
                start("proxy-up", () -> pump(client, server));
                start("proxy-down", () -> pump(server, client));
            }
            catch (IOException ex) {
                // closed
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16384];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                // Bytes read while cut are dropped: as lost on the wire, never delivered late.
                if (!cut) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        }
        catch (IOException ex) {
            // one side closed
        }
        if (!cut) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void start(String name, Runnable task) {
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
        sockets.forEach(BlackHoleProxy::closeQuietly);
    }
}
