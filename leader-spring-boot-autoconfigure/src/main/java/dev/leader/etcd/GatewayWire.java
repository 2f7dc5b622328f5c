package dev.leader.etcd;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * HTTP/1.1 to etcd's JSON gateway on plain sockets, written and read by the calling thread.
 *
 * <p>The JDK's {@code HttpClient} hands every exchange between its selector thread and its
 * executor several times; in a process idle a moment before each of those hand-offs costs about
 * half a millisecond, and a range that etcd answers in 0.3 ms took 6.6 ms. Here a unary call is one
 * write and one blocking read on a kept-alive connection, and a watch stream is read by the thread
 * that waits for its messages. Connections are kept per endpoint and reused, the one used last
 * first; the others are closed once idle for {@link #IDLE_TIMEOUT}, and one found closed by the
 * member before it answered is replaced once. TLS endpoints get the host name checked as the
 * JDK's client does.
 */
final class GatewayWire implements AutoCloseable {

    /** Idle connections kept per endpoint; more are closed after their call. */
    private static final int IDLE_PER_ENDPOINT = 8;

    /**
     * How long a connection may stay idle, unless it is the one used last: a burst of calls at
     * once (many elections campaigning) opens a connection per call in flight, and once the burst
     * has passed the backend goes back to one connection per member for its calls (and one for its
     * watch), instead of keeping the burst's connections open for good.
     */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);

    private final @Nullable SSLContext sslContext;

    private final Duration connectTimeout;

    private final Map<URI, Deque<Connection>> idle = new ConcurrentHashMap<>();

    private final Set<Connection> open = ConcurrentHashMap.newKeySet();

    private volatile boolean closed;

    GatewayWire(@Nullable SSLContext sslContext, Duration connectTimeout) {
        this.sslContext = sslContext;
        this.connectTimeout = connectTimeout;
    }

    /** An answer read whole: its HTTP status and body. */
    record Answer(int status, String body) {
    }

    /** An answer whose body is read as it comes; closing it closes its connection. */
    record Streamed(int status, InputStream body) {
    }

    /**
     * POSTs {@code body} to {@code base} + {@code path} and reads the whole answer, both within
     * {@code timeout}.
     *
     * @throws HttpTimeoutException when the answer is not complete within the timeout
     */
    Answer post(URI base, String path, String body, @Nullable String authorization, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] request = request(base, path, body, authorization, false, "");
        Connection connection = idleConnection(base);
        boolean reused = connection != null;
        while (true) {
            if (connection == null) {
                connection = connect(base, deadline);
            }
            try {
                Answer answer = connection.exchange(request, deadline);
                release(base, connection);
                return answer;
            }
            catch (StaleConnectionException ex) {
                connection.close();
                if (!reused) {
                    throw ex;
                }
                // Closed before any answer came, most likely while idle: once more on a new one. Each
                // call the backend makes may run twice (reads, compare-guarded writes, a lease that
                // would expire unused), as EtcdHttp's move to the next endpoint assumes too.
                connection = null;
                reused = false;
            }
            catch (IOException | RuntimeException ex) {
                connection.close();
                throw ex;
            }
        }
    }

    /**
     * POSTs {@code body} on a connection of its own and returns once the answer's head is read,
     * within {@code timeout}; its body is read after that without a bound.
     */
    Streamed stream(URI base, String path, String body, @Nullable String authorization, Map<String, String> headers,
            Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        StringBuilder extra = new StringBuilder();
        headers.forEach((name, value) -> extra.append(name).append(": ").append(value).append("\r\n"));
        byte[] request = request(base, path, body, authorization, true, extra.toString());
        Connection connection = connect(base, deadline);
        try {
            return connection.openStream(request, deadline);
        }
        catch (IOException | RuntimeException ex) {
            connection.close();
            throw ex;
        }
    }

    /** Connections open now, idle or in use. */
    int connections() {
        return open.size();
    }

    /** Closes every connection, idle or in use: a call under way fails with an {@link IOException}. */
    @Override
    public void close() {
        closed = true;
        open.forEach(Connection::close);
        idle.clear();
    }

    private @Nullable Connection idleConnection(URI base) {
        Deque<Connection> connections = idle.get(base);
        return connections == null ? null : connections.pollFirst();
    }

    private void release(URI base, Connection connection) {
        Deque<Connection> connections = idle.computeIfAbsent(base, key -> new ConcurrentLinkedDeque<>());
        if (closed || !connection.reusable || connections.size() >= IDLE_PER_ENDPOINT) {
            connection.close();
            return;
        }
        connection.idleSinceNanos = System.nanoTime();
        connections.offerFirst(connection);
        if (closed) {
            connection.close();
        }
        closeIdle();
    }

    /**
     * Closes the connections idle for longer than {@link #IDLE_TIMEOUT}, all but the one used last
     * per endpoint (a successor's first call in a hand-off should not wait for a connect). Runs
     * after every call and, for a backend at rest whose calls have stopped, from its keep-alive.
     */
    void closeIdle() {
        long now = System.nanoTime();
        for (Deque<Connection> connections : idle.values()) {
            // Most recently used first: the longest idle are at the end.
            Connection newest = connections.peekFirst();
            for (Connection last = connections.peekLast(); last != null && last != newest
                    && now - last.idleSinceNanos > IDLE_TIMEOUT.toNanos(); last = connections.peekLast()) {
                if (connections.removeLastOccurrence(last)) {
                    last.close();
                }
            }
        }
    }

    private Connection connect(URI base, long deadline) throws IOException {
        if (closed) {
            throw new IOException("etcd backend closed");
        }
        String host = hostOf(base);
        int port = portOf(base);
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, Math.min(connectTimeout.toMillis(), millisLeft(deadline))));
            if ("https".equals(base.getScheme())) {
                SSLSocket tls = (SSLSocket) tlsContext().getSocketFactory().createSocket(socket, host, port, true);
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(parameters);
                tls.setSoTimeout((int) Math.max(1, millisLeft(deadline)));
                tls.startHandshake();
                socket = tls;
            }
        }
        catch (SocketTimeoutException ex) {
            socket.close();
            throw new HttpTimeoutException(base + " did not accept a connection in time");
        }
        catch (IOException | RuntimeException ex) {
            socket.close();
            throw ex;
        }
        Connection connection = new Connection(socket);
        open.add(connection);
        if (closed) {
            connection.close();
            throw new IOException("etcd backend closed");
        }
        return connection;
    }

    private SSLContext tlsContext() throws IOException {
        if (sslContext != null) {
            return sslContext;
        }
        try {
            return SSLContext.getDefault();
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IOException("no default TLS context for an https etcd endpoint", ex);
        }
    }

    /**
     * The request's bytes; a {@code stream} asks the member to close the connection after it, as
     * a stream's connection is never reused, and {@code extra} is more header lines.
     */
    private static byte[] request(URI base, String path, String body, @Nullable String authorization, boolean stream, String extra) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(256).append("POST ").append(path).append(" HTTP/1.1\r\nHost: ")
                .append(base.getHost()).append(':').append(portOf(base)).append("\r\nContent-Type: application/json\r\nContent-Length: ")
                .append(content.length).append("\r\n");
        if (authorization != null) {
            head.append("Authorization: ").append(authorization).append("\r\n");
        }
        if (stream) {
            head.append("Connection: close\r\n");
        }
        head.append(extra).append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = new byte[headBytes.length + content.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(content, 0, request, headBytes.length, content.length);
        return request;
    }

    /** The host to connect to: an IPv6 literal without its brackets. */
    private static String hostOf(URI base) {
        String host = base.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static int portOf(URI base) {
        return base.getPort() > 0 ? base.getPort() : "https".equals(base.getScheme()) ? 443 : 80;
    }

    private static long millisLeft(long deadline) {
        return TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    }

    /** The member closed a kept-alive connection before any byte of an answer came. */
    private static final class StaleConnectionException extends IOException {

        StaleConnectionException(String message, @Nullable Throwable cause) {
            super(message, cause);
        }
    }

    /** One connection; used by one call at a time. */
    private final class Connection {

        private final Socket socket;

        private final InputStream in;

        private final OutputStream out;

        /** Reads block until this {@code System.nanoTime()}; {@link Long#MAX_VALUE} for no bound. */
        private long deadline = Long.MAX_VALUE;

        private boolean reusable = true;

        /** When it was last put back among the idle connections, on {@link System#nanoTime()}. */
        private volatile long idleSinceNanos;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(new DeadlineInput(socket.getInputStream()), 8192);
            this.out = socket.getOutputStream();
        }

        Answer exchange(byte[] request, long deadline) throws IOException {
            this.deadline = deadline;
            AnswerHead head = send(request);
            ByteArrayOutputStream content = new ByteArrayOutputStream(Math.max(64, (int) Math.min(head.length(), 1 << 20)));
            try (InputStream body = head.body(in)) {
                body.transferTo(content);
            }
            reusable = head.keepAlive() && (head.length() >= 0 || head.chunked());
            return new Answer(head.status(), content.toString(StandardCharsets.UTF_8));
        }

        Streamed openStream(byte[] request, long deadline) throws IOException {
            this.deadline = deadline;
            AnswerHead head = send(request);
            this.deadline = Long.MAX_VALUE;
            reusable = false;
            InputStream body = head.body(in);
            return new Streamed(head.status(), new FilterInputStream(body) {

                @Override
                public void close() {
                    Connection.this.close();
                }
            });
        }

        private AnswerHead send(byte[] request) throws IOException {
            try {
                out.write(request);
                out.flush();
            }
            catch (IOException ex) {
                throw new StaleConnectionException("connection closed before the request was sent: " + ex, ex);
            }
            String statusLine;
            try {
                statusLine = AnswerHead.line(in);
            }
            catch (HttpTimeoutException ex) {
                throw ex;
            }
            catch (IOException ex) {
                throw new StaleConnectionException("connection closed before an answer came: " + ex, ex);
            }
            return AnswerHead.read(statusLine, in);
        }

        void close() {
            open.remove(this);
            try {
                socket.close();
            }
            catch (IOException ex) {
                // Nothing to undo.
            }
        }

        /** The socket's stream, each read bounded by what is left until the deadline. */
        private final class DeadlineInput extends AnswerHead.BlockInput {

            private final InputStream socketIn;

            DeadlineInput(InputStream socketIn) {
                this.socketIn = socketIn;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (deadline == Long.MAX_VALUE) {
                    socket.setSoTimeout(0);
                }
                else {
                    long left = millisLeft(deadline);
                    if (left <= 0) {
                        throw new HttpTimeoutException("no answer in time");
                    }
                    socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
                }
                try {
                    return socketIn.read(buffer, offset, length);
                }
                catch (SocketTimeoutException ex) {
                    throw new HttpTimeoutException("no answer in time");
                }
            }
        }
    }
}
