package dev.leader.lan;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Refuses a signed message seen before: its timestamp must lie within the window of this
 * host's clock, and its sequence must be above the last one accepted from the same sender
 * incarnation. Incarnations are remembered for the window, so a recording can be replayed
 * neither while it is fresh (sequence) nor later (timestamp). A peer that never heard an
 * incarnation accepts its fresh messages once: the residual risk of any window scheme,
 * bounded by the window.
 */
final class ReplayWindow {

    private record Seen(long sequence, long atMillis) {
    }

    private final long windowMillis;

    private final Map<Long, Seen> incarnations = new HashMap<>();

    private long lastPruneMillis;

    ReplayWindow(Duration window) {
        this.windowMillis = window.toMillis();
    }

    /** Null when accepted, else why not. */
    synchronized MessageSigner.@Nullable Rejection check(LanMessage message, long nowMillis) {
        if (Math.abs(nowMillis - message.timestampMillis()) > windowMillis) {
            return MessageSigner.Rejection.STALE;
        }
        prune(nowMillis);
        Seen seen = incarnations.get(message.incarnation());
        if (seen != null && message.sequence() <= seen.sequence()) {
            return MessageSigner.Rejection.REPLAYED;
        }
        incarnations.put(message.incarnation(), new Seen(message.sequence(), nowMillis));
        return null;
    }

    private void prune(long nowMillis) {
        if (nowMillis - lastPruneMillis < windowMillis) {
            return;
        }
        lastPruneMillis = nowMillis;
        for (Iterator<Seen> it = incarnations.values().iterator(); it.hasNext();) {
            // Kept for two windows: a message older than one window is refused as stale anyway.
            if (nowMillis - it.next().atMillis() > 2 * windowMillis) {
                it.remove();
            }
        }
    }
}
