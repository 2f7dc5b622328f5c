package dev.leader.lan;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.util.Collections;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The multicast socket: joined to the group on exactly one interface, sending with the
 * configured TTL and with loopback on, so peers on the same host (other JVMs, or other
 * backends of this JVM) hear each other. Bound to the group address rather than the wildcard,
 * so unicast datagrams to the port never reach the protocol.
 */
final class LanTransport implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LanTransport.class);

    private final DatagramChannel channel;

    private final InetSocketAddress target;

    private final NetworkInterface networkInterface;

    private final MembershipKey membership;

    private final Thread receiver;

    private volatile boolean closed;

    LanTransport(LanBackendSettings settings, Consumer<ReceivedFrame> sink) throws IOException {
        this.networkInterface = resolveInterface(settings.networkInterface());
        this.target = new InetSocketAddress(settings.multicastAddress(), settings.port());
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            // Several peers on one host share the port; each receives its own copy of a group datagram.
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, networkInterface);
            ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, settings.ttl());
            ch.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            ch.bind(new InetSocketAddress(settings.multicastAddress(), settings.port()));
            this.membership = ch.join(settings.multicastAddress(), networkInterface);
        }
        catch (IOException | RuntimeException ex) {
            ch.close();
            throw ex;
        }
        this.channel = ch;
        this.receiver = new Thread(() -> receive(sink), "leader-lan-receive");
        this.receiver.setDaemon(true);
        this.receiver.start();
    }

    /** A datagram as it arrived, with its receive time on the monotonic clock. */
    record ReceivedFrame(byte[] data, int length, long receivedNanos) {
    }

    NetworkInterface networkInterface() {
        return networkInterface;
    }

    /** Sends one frame to the group. */
    void send(byte[] frame) throws IOException {
        channel.send(ByteBuffer.wrap(frame), target);
    }

    private void receive(Consumer<ReceivedFrame> sink) {
        ByteBuffer buffer = ByteBuffer.allocate(LanMessage.MAX_SIZE + 64);
        while (!closed) {
            try {
                buffer.clear();
                if (channel.receive(buffer) == null) {
                    continue;
                }
                long now = System.nanoTime();
                buffer.flip();
                byte[] data = new byte[buffer.remaining()];
                buffer.get(data);
                sink.accept(new ReceivedFrame(data, data.length, now));
            }
            catch (ClosedChannelException ex) {
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
