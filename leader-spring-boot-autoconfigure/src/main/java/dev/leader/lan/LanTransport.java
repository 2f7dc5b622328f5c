package dev.leader.lan;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.MembershipKey;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Collections;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The multicast socket: joined to the group on exactly one interface, sending with the
 * configured TTL and with loopback on, so peers on the same host (other JVMs, or other
 * backends of this JVM) hear each other. Bound to the group address rather than the wildcard,
 * so unicast datagrams to the port never reach the protocol.
 *
 * <p>The receive thread reads every datagram already queued before it tells the
 * {@link Receiver} it has {@linkplain Receiver#caughtUp caught up}: decisions taken there see
 * the freshest view. That matters after a stall (a GC pause, SIGSTOP, a busy host): the queue
 * then holds old news (a RESIGN) together with what followed it (someone else's claim), and
 * acting on the first before reading the second would contest a term already taken.
 */
final class LanTransport implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LanTransport.class);

    /** Datagrams read before the receiver is told it caught up, even if more are queued. */
    private static final int MAX_BATCH = 256;

    /** Bytes the socket may queue unread, if the kernel allows. */
    private static final int RECEIVE_BUFFER = 1 << 20;

    private final DatagramChannel channel;

    private final InetSocketAddress target;

    private final NetworkInterface networkInterface;

    private final MembershipKey membership;

    private final Selector selector;

    private final Thread receiver;

    private volatile boolean closed;

    /** Where received datagrams go; called on the receive thread only. */
    interface Receiver {

        void received(ReceivedFrame frame);

        /**
         * Every datagram queued so far has been handed to {@link #received}.
         *
         * @return nanoseconds after which to call again even if nothing arrives, or -1 for
         *         only when something arrives (or {@link #wakeup()})
         */
        long caughtUp(long nowNanos);
    }

    LanTransport(LanBackendSettings settings, Receiver sink) throws IOException {
        this.networkInterface = resolveInterface(settings.networkInterface());
        this.target = new InetSocketAddress(settings.multicastAddress(), settings.port());
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        Selector sel = null;
        try {
            // Several peers on one host share the port; each receives its own copy of a group datagram.
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, networkInterface);
            ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, settings.ttl());
            ch.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            // A round of heartbeats of many elections from every peer arrives within a tick; the
            // kernel caps this at net.core.rmem_max (often 208 KiB: then the cohorts keep bursts small).
            ch.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
            ch.bind(new InetSocketAddress(settings.multicastAddress(), settings.port()));
            this.membership = ch.join(settings.multicastAddress(), networkInterface);
            ch.configureBlocking(false);
            sel = Selector.open();
            ch.register(sel, SelectionKey.OP_READ);
        }
        catch (IOException | RuntimeException ex) {
            if (sel != null) {
                sel.close();
            }
            ch.close();
            throw ex;
        }
        this.channel = ch;
        this.selector = sel;
        this.receiver = new Thread(() -> receive(sink), "leader-lan-receive");
        this.receiver.setDaemon(true);
        this.receiver.start();
    }

    /** A datagram as it arrived, with its source address and receive time on the monotonic clock. */
    record ReceivedFrame(byte[] data, int length, InetAddress source, long receivedNanos) {
    }

    NetworkInterface networkInterface() {
        return networkInterface;
    }

    /** Sends one frame to the group. */
    void send(byte[] frame) throws IOException {
        if (channel.send(ByteBuffer.wrap(frame), target) == 0) {
            throw new IOException("socket send buffer full");
        }
    }

    /** Makes the receive thread read what is queued and call {@link Receiver#caughtUp} soon. */
    void wakeup() {
        selector.wakeup();
    }

    private void receive(Receiver sink) {
        ByteBuffer buffer = ByteBuffer.allocate(LanDatagram.MAX_SIZE + 64);
        long waitNanos = -1;
        while (!closed) {
            try {
                if (waitNanos < 0) {
                    selector.select();
                }
                else if (waitNanos < 1_000_000) {
                    selector.selectNow();
                }
                else {
                    selector.select(waitNanos / 1_000_000);
                }
                selector.selectedKeys().clear();
                // Bounded, so that a flood cannot hold the decisions off for ever.
                for (int i = 0; i < MAX_BATCH; i++) {
                    buffer.clear();
                    SocketAddress source = channel.receive(buffer);
                    if (source == null) {
                        break;
                    }
                    long now = System.nanoTime();
                    buffer.flip();
                    byte[] data = new byte[buffer.remaining()];
                    buffer.get(data);
                    sink.received(new ReceivedFrame(data, data.length, ((InetSocketAddress) source).getAddress(), now));
                }
                waitNanos = sink.caughtUp(System.nanoTime());
            }
            catch (ClosedChannelException | ClosedSelectorException ex) {
                return;
            }
            catch (IOException | RuntimeException ex) {
                if (!closed) {
                    log.warn("receiving on {} failed; continuing", target, ex);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            selector.close();
        }
        catch (IOException ex) {
            log.debug("closing the selector failed", ex);
        }
        membership.drop();
        try {
            channel.close();
        }
        catch (IOException ex) {
            log.debug("closing the multicast socket failed", ex);
        }
    }

    static NetworkInterface resolveInterface(@Nullable String name) throws SocketException {
        if (name != null) {
            NetworkInterface named = NetworkInterface.getByName(name);
            if (named == null) {
                throw new IllegalArgumentException("leader.lan.interface '" + name + "' does not exist on this host");
            }
            if (!named.isUp() || !named.supportsMulticast()) {
                throw new IllegalArgumentException("leader.lan.interface '" + name
                        + "' is down or does not support multicast (for lo: ip link set lo multicast on)");
            }
            return named;
        }
        for (NetworkInterface candidate : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (candidate.isUp() && candidate.supportsMulticast() && !candidate.isLoopback() && !candidate.isVirtual()
                    && Collections.list(candidate.getInetAddresses()).stream().anyMatch(a -> a instanceof Inet4Address)) {
                log.info("leader.lan.interface not set: using {}", candidate.getName());
                return candidate;
            }
        }
        throw new IllegalArgumentException("leader.lan.interface not set and no up, multicast-capable interface with an"
                + " IPv4 address found: set leader.lan.interface");
    }
}
