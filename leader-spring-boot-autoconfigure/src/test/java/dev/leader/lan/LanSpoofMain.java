package dev.leader.lan;

import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends made-up, unsigned datagrams to a LAN group, as any host on the segment can when the
 * peers have no secret. Arguments are {@code key=value}: {@code interface}, {@code port},
 * {@code election}, {@code id} (the made-up sender's id, or the prefix of many), then what to send:
 * {@code term=N}, one heartbeat of a made-up peer carrying term N; {@code peers=N}, one heartbeat
 * from each of N made-up peers, paced below {@link SourceRateLimit#PER_SECOND}; {@code flood=N},
 * N heartbeats of one made-up peer, as fast as the socket takes them. Prints {@code SENT n}.
 */
public final class LanSpoofMain {

    private LanSpoofMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            options.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        LanBackendSettings settings = LanBackendSettings.builder().networkInterface(options.get("interface"))
                .port(Integer.parseInt(options.get("port"))).build();
        NetworkInterface device = NetworkInterface.getByName(settings.networkInterface());
        InetSocketAddress group = new InetSocketAddress(settings.multicastAddress(), settings.port());
        MessageSigner unsigned = new MessageSigner(null);
        String election = options.get("election");
        String id = options.get("id");
        int sent = 0;
        try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET)) {
            channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, device);
            channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 1);
            if (options.containsKey("term")) {
                channel.send(ByteBuffer.wrap(unsigned.frame(LanDatagram.of(heartbeat(election, id, 1, Long.parseLong(options.get("term")))))), group);
                sent++;
            }
            for (int i = 0; i < Integer.parseInt(options.getOrDefault("peers", "0")); i++) {
                channel.send(ByteBuffer.wrap(unsigned.frame(LanDatagram.of(heartbeat(election, id + "-" + i, 1, 0)))), group);
                sent++;
                LockSupport.parkNanos(1_000_000_000L / SourceRateLimit.PER_SECOND * 2);
            }
            long incarnation = ThreadLocalRandom.current().nextLong();
            for (int i = 0; i < Integer.parseInt(options.getOrDefault("flood", "0")); i++) {
                LanMessage message = new LanMessage(LanMessage.Type.HEARTBEAT, 0, "", election, id, incarnation, i + 1,
                        System.currentTimeMillis(), 0, null, 0, 0, System.nanoTime(), List.of());
                channel.send(ByteBuffer.wrap(unsigned.frame(LanDatagram.of(message))), group);
                sent++;
            }
        }
        System.out.println("SENT " + sent);
    }

    /** A heartbeat of a made-up peer that neither campaigns nor follows anyone. */
    private static LanMessage heartbeat(String election, String sender, long sequence, long term) {
        return new LanMessage(LanMessage.Type.HEARTBEAT, 0, "", election, sender, ThreadLocalRandom.current().nextLong(),
                sequence, System.currentTimeMillis(), term, null, 0, 0, System.nanoTime(), List.of());
    }
}
