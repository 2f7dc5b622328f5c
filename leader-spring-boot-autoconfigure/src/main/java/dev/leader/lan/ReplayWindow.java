package dev.leader.lan;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Refuses a signed datagram seen before, with all the messages it carries. Within a sender
 * incarnation we know, the sequence must grow: no clock is involved, so a wall-clock jump on
 * either side (NTP step, a VM resumed, an operator) disturbs nothing. The first datagram of an incarnation we do not know must carry a
 * timestamp within the window of this host's wall clock, so an old recording cannot be replayed
 * to a peer that never heard it (or forgot it); that is the only use of the wall clock, and
 * peers whose clocks differ by more than the window cannot meet. Incarnations are forgotten two
 * windows after they fell silent, on the monotonic clock, and beyond {@link #MAX_INCARNATIONS} the
 * longest silent first: made-up incarnations (without a secret anyone can send them) cannot grow
 * it without bound. A forgotten incarnation must pass the timestamp check again.
 */
final class ReplayWindow {

    /** Far more senders than one segment's elections have. */
    static final int MAX_INCARNATIONS = 4096;

    private record Seen(long sequence, long atNanos) {
    }

    private final long windowMillis;

    private final long forgetNanos;

    /** In access order: the eldest is the one heard from longest ago. */
    private final Map<Long, Seen> incarnations = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Seen> eldest) {
            return size() > MAX_INCARNATIONS;
        }
    };

    private long lastPruneNanos;

    ReplayWindow(Duration window) {
        this.windowMillis = window.toMillis();
        this.forgetNanos = window.multipliedBy(2).toNanos();
    }

    /** Null when accepted, else why not. */
    synchronized MessageSigner.@Nullable Rejection check(LanDatagram datagram, long wallMillis, long nowNanos) {
        prune(nowNanos);
        Seen seen = incarnations.get(datagram.incarnation());
        if (seen == null && Math.abs(wallMillis - datagram.timestampMillis()) > windowMillis) {
            return MessageSigner.Rejection.STALE;
        }
        if (seen != null && datagram.sequence() <= seen.sequence()) {
            return MessageSigner.Rejection.REPLAYED;
        }
        incarnations.put(datagram.incarnation(), new Seen(datagram.sequence(), nowNanos));
        return null;
    }

    synchronized int size() {
        return incarnations.size();
    }

    private void prune(long nowNanos) {
        if (nowNanos - lastPruneNanos < forgetNanos / 2) {
            return;
        }
        lastPruneNanos = nowNanos;
        // A forgotten incarnation must pass the timestamp check again, which a recording older
        // than the window fails.
        incarnations.values().removeIf(seen -> nowNanos - seen.atNanos() > forgetNanos);
    }
}
