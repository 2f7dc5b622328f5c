package dev.leader.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/** Asks a server on 127.0.0.1 for its statistics over a plain socket (RESP, four-letter words). */
final class ServerStats {

    private ServerStats() {
    }

    /**
     * Sends {@code request} and reads the reply until {@code end} appears, or until the server
     * closes the connection when {@code end} is null.
     */
    static String ask(int port, String request, @Nullable String end) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                reply.write(buffer, 0, n);
                if (end != null && reply.toString(StandardCharsets.US_ASCII).contains(end)) {
                    break;
                }
            }
            return reply.toString(StandardCharsets.US_ASCII);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot read the statistics of the server on 127.0.0.1:" + port, ex);
        }
    }
}
