package dev.leader.bench;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.leader.autoconfigure.BackendType;
import dev.leader.election.ElectionBackend;
import dev.leader.lan.LanBackendSettings;
import dev.leader.lan.LanElectionBackend;

/**
 * The LAN backend: no server; candidates meet on a multicast group on {@code lo} (TTL 1),
 * signed with a secret made for the run. A group address of its own keeps the run apart from
 * the LAN tests, which use the default group on {@code lo} too. Requests served are the
 * datagrams a listener of the harness hears on the group: the wire load a server would count.
 */
final class LanBench implements OurBench {

    static final String INTERFACE = "lo";

    static final String GROUP = "239.255.76.77";

    @Override
    public BackendType backend() {
        return BackendType.LAN;
    }

    @Override
    public BenchServer start(Path workDir) throws IOException {
        enableLoopbackMulticast();
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        GroupListener listener = new GroupListener(port);
        return BenchServer.of(GROUP + ":" + port + ":" + HexFormat.of().formatHex(secret),
                "no server; multicast group " + GROUP + ":" + port + " on " + INTERFACE + ", TTL 1, HMAC-SHA256 signed, heartbeat every lease/3",
                listener::datagrams, listener::close);
    }

    @Override
    public ElectionBackend electionBackend(String address, Duration lease) {
        String[] parts = address.split(":");
        return new LanElectionBackend(LanBackendSettings.builder().networkInterface(INTERFACE)
                .multicastAddress(parts[0]).port(Integer.parseInt(parts[1])).secret(parts[2]).ttl(1).lease(lease).build());
    }

    @Override
    public Duration lease(Duration requested) {
        // A peer silent for a lease is gone: then the next-ranked peer claims.
        return requested;
    }

    /**
     * A peer that just started listens for a heartbeat interval (lease/3) before it may claim,
     * but the others already defer to it when it ranks first (the re-joined old leader has the
     * lowest id): releasing earlier would time that listening, not the hand-off. See README.
     */
    @Override
    public Duration rejoin(Duration lease) {
        return lease.dividedBy(3).plusMillis(100);
    }

    /** {@code lo} carries no multicast by default; as root we switch it on (the LAN tests do the same). */
    private static void enableLoopbackMulticast() throws IOException {
        NetworkInterface lo = NetworkInterface.getByName(INTERFACE);
        if (lo != null && lo.supportsMulticast()) {
            return;
        }
        Process ip = new ProcessBuilder("ip", "link", "set", INTERFACE, "multicast", "on").redirectErrorStream(true).start();
        try {
            if (!ip.waitFor(10, TimeUnit.SECONDS) || ip.exitValue() != 0) {
                throw new IllegalStateException("'ip link set lo multicast on' failed (needs iproute2 and root): "
                        + new String(ip.getInputStream().readAllBytes()));
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted enabling multicast on lo", ex);
        }
    }

    /** Counts the datagrams sent to the group, as one more member of it that never speaks. */
    private static final class GroupListener {

        private final DatagramChannel channel;

        private final AtomicLong datagrams = new AtomicLong();

        GroupListener(int port) throws IOException {
            InetAddress group = InetAddress.getByName(GROUP);
            channel = DatagramChannel.open(StandardProtocolFamily.INET);
            try {
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                channel.bind(new InetSocketAddress(group, port));
                channel.join(group, NetworkInterface.getByName(INTERFACE));
            }
            catch (IOException | RuntimeException ex) {
                channel.close();
                throw ex;
            }
            Thread reader = new Thread(this::count, "bench-lan-listener");
            reader.setDaemon(true);
            reader.start();
        }

        private void count() {
            ByteBuffer buffer = ByteBuffer.allocate(65536);
            try {
                while (true) {
                    buffer.clear();
                    channel.receive(buffer);
                    datagrams.incrementAndGet();
                }
            }
            catch (IOException ex) {
                // Closed at the end of the run.
            }
        }

        long datagrams() {
            return datagrams.get();
        }

        void close() {
            try {
                channel.close();
            }
            catch (IOException ex) {
                // Nothing left to count.
            }
        }
    }
}
