package dev.leader.lan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import dev.leader.election.AbstractElection;
import dev.leader.election.BackendStatus;
import dev.leader.election.BackendStatusTracker;
import dev.leader.election.Election;
import dev.leader.election.ElectionBackend;
import dev.leader.election.OpenElections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elects among the peers of one network segment with no server: one multicast socket per
 * backend, shared by its elections, every datagram signed and checked against replays.
 *
 * <p>Why raw multicast rather than DNS-SD over mDNS: peers need each other's heartbeats, not
 * each other's addresses. Heartbeats on a multicast group discover the peers as a side effect,
 * with nothing but the JDK; mDNS would add a dependency, its own caching and announcement
 * timers (seconds), and the heartbeats would still need a channel of their own.
 */
public final class LanElectionBackend implements ElectionBackend {

    private static final Logger log = LoggerFactory.getLogger(LanElectionBackend.class);

    /**
     * Ticks per heartbeat interval: the elections heartbeat in as many cohorts, one a tick, so
     * that a round of heartbeats reaches the peers spread over the interval, not as one burst
     * their receive buffers may not hold.
     */
    private static final int TICKS_PER_INTERVAL = 7;

    /** Fewer elections than this per cohort are not worth a cohort of their own: a few datagrams' worth. */
    private static final int MIN_COHORT = 64;

    private final LanBackendSettings settings;

    private final MessageSigner signer;

    private final String group;

    private final ReplayWindow replays;

    private final SourceRateLimit rateLimit = new SourceRateLimit();

    private final LanTransport transport;

    private final GroupSender sender;

    private final long incarnation = new SecureRandom().nextLong();

    private final OpenElections<LanElection> elections = new OpenElections<>();

    private final Map<MessageSigner.Rejection, AtomicLong> rejected = new EnumMap<>(MessageSigner.Rejection.class);

    private final ScheduledExecutorService ticker;

    /**
     * Elections that {@link #decide} is to ask: those that received something or whose tick found
     * a decision due since it last ran, and those waiting for a hand-off deadline. The others have
     * nothing to decide, so a datagram costs what its entries touch, not every election.
     */
    private final Set<LanElection> undecided = ConcurrentHashMap.newKeySet();

    /** What the elections said on the receive thread since it last decided: sent when it has. */
    private final List<BundledHeartbeat> received = new ArrayList<>();

    private final int ticksPerInterval;

    /** Ticks so far, and elections open at the last; the tick thread's alone. */
    private long ticks;

    private int open;

    /** Incarnations seen with the candidate id of one of our elections, warned about once each. */
    private final Set<Long> duplicatesWarned = new HashSet<>();

    private final BackendStatusTracker status = new BackendStatusTracker();

    /**
     * Joins the multicast group.
     *
     * @throws IllegalArgumentException if the interface is missing or cannot do multicast
     * @throws UncheckedIOException if the socket cannot be opened or joined
     */
    public LanElectionBackend(LanBackendSettings settings) {
        this.settings = settings;
        this.signer = new MessageSigner(settings.secret());
        this.group = settings.group() == null ? "" : settings.group();
        this.replays = new ReplayWindow(settings.replayWindow());
        for (MessageSigner.Rejection reason : MessageSigner.Rejection.values()) {
            rejected.put(reason, new AtomicLong());
        }
        warnOfWeakSecret(settings);
        try {
            this.transport = new LanTransport(settings, new LanTransport.Receiver() {
                @Override
                public void received(LanTransport.ReceivedFrame frame) {
                    dispatch(frame);
                }

                @Override
                public long caughtUp(long nowNanos) {
                    return decide(nowNanos);
                }
            });
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot join " + settings.multicastAddress().getHostAddress() + ":"
                    + settings.port() + " on " + settings.networkInterface() + ": " + ex.getMessage(), ex);
        }
        this.sender = new GroupSender(settings, incarnation, signer, transport, status);
        long heartbeatNanos = settings.heartbeatInterval().toNanos();
        long tickNanos = Math.max(Duration.ofMillis(10).toNanos(), heartbeatNanos / TICKS_PER_INTERVAL);
        this.ticksPerInterval = (int) Math.max(1, heartbeatNanos / tickNanos);
        this.ticker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "leader-lan-tick");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::tick, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
        log.info("LAN election backend on {}:{} via {}, ttl {}, lease {}{}", settings.multicastAddress().getHostAddress(),
                settings.port(), transport.networkInterface().getName(), settings.ttl(), settings.lease(),
                settings.quorum() > 0 ? ", quorum " + settings.quorum() : "");
    }

    private static void warnOfWeakSecret(LanBackendSettings settings) {
        if (settings.secret() == null) {
            log.warn("leader.lan.secret is not set: LAN election messages are unsigned, so any host on the segment"
                    + " can take part in or disturb the election{}; set a shared secret of at least {} random bytes",
                    settings.quorum() > 0 ? " and count toward leader.lan.quorum (it can confirm a leader, or keep"
                            + " one from being elected)" : "", LanBackendSettings.MIN_SECRET_BYTES);
        }
        else if (settings.secretBytes() < LanBackendSettings.MIN_SECRET_BYTES) {
            log.warn("leader.lan.secret has {} bytes, fewer than {}: one recorded datagram lets anyone on the segment"
                    + " guess a short secret offline (HMAC-SHA256 is fast); use at least {} random bytes, e.g."
                    + " 'openssl rand -base64 32'", settings.secretBytes(), LanBackendSettings.MIN_SECRET_BYTES,
                    LanBackendSettings.MIN_SECRET_BYTES);
        }
    }

    public LanBackendSettings settings() {
        return settings;
    }

    @Override
    public String type() {
        return "lan";
    }

    @Override
    public Election election(String name, String candidateId) {
        if (candidateId.isEmpty() || candidateId.length() > 255) {
            throw new IllegalArgumentException("candidate id must have 1-255 characters: '" + candidateId + "'");
        }
        return elections.open(name,
                () -> new LanElection(name, candidateId, settings, incarnation, sender::send, elections::remove));
    }

    /**
     * Messages refused so far, by reason: unsigned, wrongly signed, replayed, stale, malformed,
     * rate-limited (per source address), a term jump, or a new peer beyond the peer limit.
     */
    public Map<String, Long> rejectedMessages() {
        Map<String, Long> counts = new LinkedHashMap<>();
        rejected.forEach((reason, count) -> counts.put(reason.name().toLowerCase(Locale.ROOT), count.get()));
        return counts;
    }

    @Override
    public Duration lease() {
        return settings.lease();
    }

    @Override
    public BackendStatus status() {
        return status.status("nothing sent to the group yet");
    }

    @Override
    public void close() {
        elections.closeAll();
        ticker.shutdownNow();
        transport.close();
    }

    /** Senders the replay window tracks; bounded by {@link ReplayWindow#MAX_INCARNATIONS}. */
    int replayWindowSize() {
        return replays.size();
    }

    /** Datagrams sent to the group so far. */
    long datagramsSent() {
        return sender.datagramsSent();
    }

    private void dispatch(LanTransport.ReceivedFrame frame) {
        LanDatagram datagram;
        try {
            if (!rateLimit.admit(frame.source(), frame.receivedNanos())) {
                throw new MessageSigner.RejectedException(MessageSigner.Rejection.RATE_LIMITED,
                        "more than " + SourceRateLimit.PER_SECOND + " datagrams a second from " + frame.source());
            }
            datagram = signer.open(frame.data(), frame.length());
            MessageSigner.Rejection replay = replays.check(datagram, System.currentTimeMillis(), System.nanoTime());
            if (replay != null) {
                throw new MessageSigner.RejectedException(replay, "sequence " + datagram.sequence() + " of "
                        + datagram.sender() + " seen before or too old");
            }
        }
        catch (MessageSigner.RejectedException ex) {
            rejected(ex.reason(), String.valueOf(ex.getMessage()));
            return;
        }
        if (!datagram.group().equals(group)) {
            return;
        }
        for (LanMessage message : datagram.messages()) {
            LanElection election = elections.get(message.election());
            if (election != null) {
                warnIfOurId(election, message);
                MessageSigner.Rejection refused = election.receive(message, frame.receivedNanos(), received);
                if (refused != null) {
                    rejected(refused, "from " + message.senderId() + " in term " + message.term());
                }
                undecided.add(election);
            }
        }
    }

    /** Another process campaigning with one of our candidate ids is a mistake to fix, loudly. */
    private void warnIfOurId(LanElection election, LanMessage message) {
        if (message.sender().equals(election.candidateId()) && message.incarnation() != incarnation
                && duplicatesWarned.size() < LanPeers.MAX_PEERS && duplicatesWarned.add(message.incarnation())) {
            log.warn("{} another process (incarnation {}; ours is {}) campaigns with our candidate id: give each"
                    + " candidate an id of its own. The two are told apart by incarnation and never lead on each"
                    + " other's word, but which of them leads, the id does not tell",
                    AbstractElection.logPrefix(election.name(), election.candidateId()),
                    Long.toHexString(message.incarnation()), Long.toHexString(incarnation));
        }
    }

    private void rejected(MessageSigner.Rejection reason, String detail) {
        rejected.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
        status.error("rejected message: " + reason + " (" + detail + ")");
        log.debug("ignored a datagram: {} ({})", reason, detail);
    }

    /** On the receive thread, with every queued datagram read: the elections claim here. */
    private long decide(long nowNanos) {
        long wait = -1;
        List<LanElection> waiting = new ArrayList<>();
        for (Iterator<LanElection> it = undecided.iterator(); it.hasNext();) {
            LanElection election = it.next();
            // Removed before it decides: the tick may add it again meanwhile, and then it stays.
            it.remove();
            try {
                long next = election.caughtUp(nowNanos, received);
                if (next >= 0) {
                    waiting.add(election);
                    wait = wait < 0 ? next : Math.min(wait, next);
                }
            }
            catch (RuntimeException ex) {
                log.warn("{} deciding failed", AbstractElection.logPrefix(election.name(), election.candidateId()), ex);
            }
        }
        undecided.addAll(waiting);
        sendGathered(received);
        received.clear();
        return wait;
    }

    /**
     * Each election heartbeats once a heartbeat interval, at the tick of its cohort, together with
     * the others of its cohort; in between, those whose heartbeat is due early (an answer, the end
     * of listening). Gathered first, sent together, then told what became of each: see
     * {@link BundledHeartbeat}. A backend of a few elections has one cohort: one datagram a
     * heartbeat interval.
     */
    private void tick() {
        int cohorts = Math.max(1, Math.min(ticksPerInterval, open / MIN_COHORT));
        long slot = ticks++ % ticksPerInterval;
        open = 0;
        boolean decide = false;
        List<BundledHeartbeat> heartbeats = new ArrayList<>();
        for (LanElection election : elections) {
            open++;
            try {
                boolean beat = Math.floorMod(election.name().hashCode(), cohorts) * ticksPerInterval / cohorts == slot;
                if (election.tick(beat, heartbeats)) {
                    undecided.add(election);
                    decide = true;
                }
            }
            catch (RuntimeException ex) {
                log.warn("{} tick failed", AbstractElection.logPrefix(election.name(), election.candidateId()), ex);
            }
        }
        if (decide) {
            // Not here: the receive thread first reads what is queued, then decides.
            transport.wakeup();
        }
        sendGathered(heartbeats);
    }

    /** Sends what the elections said, then tells each what became of it, whatever happened. */
    private void sendGathered(List<BundledHeartbeat> heartbeats) {
        if (heartbeats.isEmpty()) {
            return;
        }
        try {
            sender.send(heartbeats);
        }
        finally {
            for (BundledHeartbeat heartbeat : heartbeats) {
                try {
                    heartbeat.election().bundled(heartbeat);
                }
                catch (RuntimeException ex) {
                    LanElection election = heartbeat.election();
                    log.warn("{} recording a heartbeat failed", AbstractElection.logPrefix(election.name(),
                            election.candidateId()), ex);
                }
            }
        }
    }
}
