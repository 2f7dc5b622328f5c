package dev.leader.lan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import dev.leader.election.Election;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Signatures and the replay window, with real sockets on {@code lo}: a recorder joined to the
 * group captures genuine datagrams and sends them again.
 */
class LanSecurityTest {

    private static final String SECRET = "the-shared-secret";

    private static final Duration LEASE = Duration.ofSeconds(1);

    private final int port = LoopbackMulticast.randomPort();

    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeAll
    static void enableMulticastOnLoopback() throws Exception {
        LoopbackMulticast.enable();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private LanElectionBackend backend(String secret) {
        LanElectionBackend backend = new LanElectionBackend(LoopbackMulticast.settings(port, secret).lease(LEASE).build());
        resources.add(backend);
        return backend;
    }

    private static Election start(LanElectionBackend backend, String id) {
        Election election = backend.election("secure", id);
        election.start();
        return election;
    }

    @Test
    void peersWithTheWrongSecretOrNoneAreIgnoredAndCounted() {
        // Both intruders would win every tie-break if they could take part.
        Election wrong = start(backend("another-secret"), "0");
        Election unsigned = start(backend(null), "00");
        LanElectionBackend backendA = backend(SECRET);
        Election a = start(backendA, "a");
        Election b = start(backend(SECRET), "b");
        await().atMost(LEASE.multipliedBy(3)).until(() -> a.isLeader() && !b.isLeader());
        await().during(LEASE).atMost(LEASE.multipliedBy(2)).until(() -> a.isLeader() && !b.isLeader()
                && b.leaderId().orElse("").equals("a"));
        assertThat(((LanElection) a).livePeers()).containsExactly("b");
        assertThat(backendA.rejectedMessages().get("bad_signature")).isPositive();
        assertThat(backendA.rejectedMessages().get("unsigned")).isPositive();
        // Each intruder is alone in its own view: it cannot disturb the others, nor join them.
        assertThat(wrong.leaderId()).contains("0");
        assertThat(unsigned.leaderId()).contains("00");
    }

    @Test
    void aReplayedResignIsIgnoredAndCounted() throws Exception {
        Recorder recorder = new Recorder(port);
        resources.add(recorder);
        LanElectionBackend backendA = backend(SECRET);
        LanElectionBackend backendB = backend(SECRET);
        Election a = start(backendA, "a");
        Election b = start(backendB, "b");
        await().atMost(LEASE.multipliedBy(3)).until(a::isLeader);
        a.yieldLeadership();
        await().atMost(LEASE).until(b::isLeader);
        b.yieldLeadership();
        await().atMost(LEASE).until(a::isLeader);
        long token = a.leadership().orElseThrow().fencingToken();

        byte[] resignOfA = recorder.first(m -> m.type() == LanMessage.Type.RESIGN && m.sender().equals("a"));
        recorder.send(resignOfA);
        // Accepted, it would make b believe a stood aside, and b would claim the next term.
        await().atMost(Duration.ofSeconds(2)).until(() -> backendB.rejectedMessages().get("replayed") >= 1);
        await().during(LEASE).atMost(LEASE.multipliedBy(2)).until(() -> a.isLeader() && !b.isLeader()
                && a.leadership().orElseThrow().fencingToken() == token);
    }

    @Test
    void aSignedButStaleMessageIsIgnoredAndCounted() throws Exception {
        Recorder recorder = new Recorder(port);
        resources.add(recorder);
        LanElectionBackend backendA = backend(SECRET);
        Election a = start(backendA, "a");
        await().atMost(LEASE.multipliedBy(3)).until(a::isLeader);
        long token = a.leadership().orElseThrow().fencingToken();
        // Correctly signed, from an incarnation never seen, but a minute old: a recording.
        LanMessage old = new LanMessage(LanMessage.Type.HEARTBEAT, LanMessage.ELIGIBLE, "", "secure", "z", 42L, 1L,
                System.currentTimeMillis() - 60_000, token + 100, "z", 42L, 0, System.nanoTime(), List.of());
        recorder.send(new MessageSigner(SECRET).frame(LanDatagram.of(old)));
        await().atMost(Duration.ofSeconds(2)).until(() -> backendA.rejectedMessages().get("stale") >= 1);
        await().during(LEASE).atMost(LEASE.multipliedBy(2))
                .until(() -> a.isLeader() && a.leadership().orElseThrow().fencingToken() == token);
    }

    /** Joined to the group on lo like a peer; keeps every datagram it hears. */
    static final class Recorder implements AutoCloseable {

        private final DatagramChannel channel;

        private final List<byte[]> frames = new CopyOnWriteArrayList<>();

        private final InetSocketAddress group;

        Recorder(int port) throws IOException {
            LanBackendSettings settings = LoopbackMulticast.settings(port, SECRET).build();
            NetworkInterface lo = NetworkInterface.getByName(LoopbackMulticast.INTERFACE);
            group = new InetSocketAddress(settings.multicastAddress(), port);
            channel = DatagramChannel.open(StandardProtocolFamily.INET);
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo);
            channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 1);
            channel.bind(group);
            channel.join(settings.multicastAddress(), lo);
            Thread thread = new Thread(() -> {
                ByteBuffer buffer = ByteBuffer.allocate(4096);
                try {
                    while (true) {
                        buffer.clear();
                        channel.receive(buffer);
                        buffer.flip();
                        byte[] frame = new byte[buffer.remaining()];
                        buffer.get(frame);
                        frames.add(frame);
                    }
                }
                catch (IOException ex) {
                    // closed
                }
            }, "recorder");
            thread.setDaemon(true);
            thread.start();
        }

        byte[] first(java.util.function.Predicate<LanMessage> matching) {
            MessageSigner signer = new MessageSigner(SECRET);
            for (byte[] frame : frames) {
                try {
                    if (signer.open(frame, frame.length).messages().stream().anyMatch(matching)) {
                        return frame;
                    }
                }
                catch (MessageSigner.RejectedException ex) {
                    // not one of ours
                }
            }
            throw new AssertionError("no such datagram recorded among " + frames.size());
        }

        void send(byte[] frame) throws IOException {
            channel.send(ByteBuffer.wrap(frame), group);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
