package dev.leader.lan;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import dev.leader.election.AbstractElection;
import dev.leader.election.BackendStatusTracker;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a backend's messages to the group: stamps, frames, signs and sends them. A message an
 * election sends at once (a claim, a RESIGN, an answer to a newcomer, a heartbeat from a hook)
 * goes alone, so a hand-off waits for nothing; the heartbeats the tick gathers from all the
 * elections go together, as many to a datagram as fit (issue 20): at rest a backend sends
 * a datagram per heartbeat interval for every few dozen elections, and one signature covers them
 * all.
 *
 * <p>Sequence, framing and sending happen under this object's lock: datagrams leave in sequence
 * order, so a receiver's replay check never drops a genuine datagram sent by another thread, and
 * a gathered message is dropped here, under the lock, if its election has sent one it said later
 * ({@link BundledHeartbeat#current()}), so that no message ever overtakes a newer one of its
 * election. Callers may hold an election's monitor; this lock is taken after it,
 * never before.
 */
final class GroupSender {

    private static final Logger log = LoggerFactory.getLogger(GroupSender.class);

    private final String group;

    private final long incarnation;

    private final int priority;

    private final MessageSigner signer;

    private final LanTransport transport;

    private final BackendStatusTracker status;

    private final AtomicLong datagramsSent = new AtomicLong();

    private long sequence;

    private boolean echoesLeftOutLogged;

    GroupSender(LanBackendSettings settings, long incarnation, MessageSigner signer, LanTransport transport,
            BackendStatusTracker status) {
        this.group = settings.group() == null ? "" : settings.group();
        this.incarnation = incarnation;
        this.priority = settings.priority();
        this.signer = signer;
        this.transport = transport;
        this.status = status;
    }

    /** Datagrams sent so far. */
    long datagramsSent() {
        return datagramsSent.get();
    }

    /**
     * Sends one message of {@code from} alone; see {@link LanElection.Outbox#send}.
     *
     * @return its stamp, or -1 if it could not be sent
     */
    long send(LanElection from, LanMessage.Type type, int flags, long term, @Nullable PeerId leader) {
        // The caller holds the election's monitor, which is always taken before our lock.
        long said = from.say();
        synchronized (this) {
            // Stamped before framing: the stamp, which peers echo, is never later than the send.
            long stamp = System.nanoTime();
            LanDatagram.Entry entry = LanDatagram.Entry.of(type, flags, from.name(), term, leader, from.stamping(stamp));
            LanDatagram datagram = datagram(from.candidateId(), stamp, List.of(entry));
            datagram = datagram(from.candidateId(), stamp, List.of(fitted(datagram, entry, from)));
            from.sent(said);
            return sent(datagram, from) ? stamp : -1;
        }
    }

    /**
     * Sends what the tick or receive thread gathered, the messages of one candidate id in as few
     * datagrams as hold them (in the order given), and tells each what became of it
     * ({@link BundledHeartbeat#sent}). The elections record them afterwards, each from what it is
     * told: one whose datagram failed counts nothing.
     */
    synchronized void send(List<BundledHeartbeat> heartbeats) {
        Map<String, List<BundledHeartbeat>> byCandidate = new LinkedHashMap<>();
        for (BundledHeartbeat heartbeat : heartbeats) {
            if (heartbeat.current()) {
                byCandidate.computeIfAbsent(heartbeat.election().candidateId(), id -> new ArrayList<>()).add(heartbeat);
            }
        }
        // One stamp for every datagram: taken before framing, so never later than any send. An
        // earlier stamp only makes the deadlines measured from it earlier.
        long stamp = System.nanoTime();
        byCandidate.forEach((candidateId, ofCandidate) -> sendPacked(candidateId, stamp, ofCandidate));
    }

    private void sendPacked(String candidateId, long stamp, List<BundledHeartbeat> heartbeats) {
        LanDatagram probe = datagram(candidateId, stamp, List.of(heartbeats.get(0).entry()));
        int room = probe.room();
        List<BundledHeartbeat> packed = new ArrayList<>();
        List<LanDatagram.Entry> entries = new ArrayList<>();
        int used = 0;
        for (BundledHeartbeat heartbeat : heartbeats) {
            LanDatagram.Entry entry = fitted(probe, heartbeat.entry(), heartbeat.election());
            int size = entry.size();
            if (!entries.isEmpty() && used + size > room) {
                sendTogether(candidateId, stamp, packed, entries);
                used = 0;
            }
            packed.add(heartbeat);
            entries.add(entry);
            used += size;
        }
        sendTogether(candidateId, stamp, packed, entries);
    }

    /** Sends {@code entries} in one datagram, telling each of {@code heartbeats} (cleared after) what became of it. */
    private void sendTogether(String candidateId, long stamp, List<BundledHeartbeat> heartbeats,
            List<LanDatagram.Entry> entries) {
        LanDatagram datagram = datagram(candidateId, stamp, entries);
        boolean sent = sent(datagram, heartbeats.get(0).election());
        for (BundledHeartbeat heartbeat : heartbeats) {
            heartbeat.election().sent(heartbeat.said());
            heartbeat.sent(sent ? stamp : -1);
        }
        heartbeats.clear();
        entries.clear();
    }

    private LanDatagram datagram(String candidateId, long stamp, List<LanDatagram.Entry> entries) {
        return new LanDatagram(group, candidateId, incarnation, sequence + 1, System.currentTimeMillis(), priority, stamp,
                entries);
    }

    private LanDatagram.Entry fitted(LanDatagram header, LanDatagram.Entry entry, LanElection from) {
        LanDatagram.Entry fitted = header.fitted(entry);
        if (fitted.echoes().size() < entry.echoes().size() && !echoesLeftOutLogged) {
            echoesLeftOutLogged = true;
            log.warn("{} {} peers are more than one datagram can echo: {} left out; a leader"
                    + " they do not echo is confirmed by the others only",
                    AbstractElection.logPrefix(from.name(), from.candidateId()), entry.echoes().size(),
                    entry.echoes().size() - fitted.echoes().size());
        }
        return fitted;
    }

    /** Frames and sends {@code datagram}, the next in sequence; whether it went. */
    private boolean sent(LanDatagram datagram, LanElection on) {
        sequence = datagram.sequence();
        byte[] frame = signer.frame(datagram);
        try {
            transport.send(frame);
            datagramsSent.incrementAndGet();
            status.connected();
            return true;
        }
        catch (IOException ex) {
            if (status.isReachable()) {
                log.warn("{} sending to the group failed: {}", AbstractElection.logPrefix(on.name(), on.candidateId()),
                        ex.toString());
            }
            status.failed("send failed: " + ex);
            return false;
        }
    }
}
