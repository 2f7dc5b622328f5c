package dev.leader.lan;

import java.util.ArrayDeque;

/**
 * The stamps of one candidate's messages of the last lease. Only an echo of one of them confirms
 * the candidate: a stamp it never made (made by an earlier election of its backend, which shares
 * the incarnation, or one from the future) proves nothing, and one older than a lease would
 * confirm nothing anyway. Guarded by the election's monitor.
 */
final class SentStamps {

    private final long incarnation;

    private final long keepNanos;

    private final ArrayDeque<Long> stamps = new ArrayDeque<>();

    SentStamps(long incarnation, long keepNanos) {
        this.incarnation = incarnation;
        this.keepNanos = keepNanos;
    }

    /** A message of ours was stamped {@code stamp}. */
    void add(long stamp) {
        while (!stamps.isEmpty() && stamp - stamps.peekFirst() > keepNanos) {
            stamps.pollFirst();
        }
        stamps.addLast(stamp);
    }

    /** The latest of our stamps among {@code message}'s echoes, if later than {@code echoed}; else that. */
    long latestEchoed(LanMessage message, long echoed) {
        long latest = echoed;
        for (LanMessage.Echo echo : message.echoes()) {
            if (echo.incarnation() == incarnation && echo.stamp() > latest && stamps.contains(echo.stamp())) {
                latest = echo.stamp();
            }
        }
        return latest;
    }
}
