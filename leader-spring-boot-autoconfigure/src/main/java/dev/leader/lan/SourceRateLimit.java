package dev.leader.lan;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lets through at most {@link #PER_SECOND} datagrams a second from one source address, in bursts
 * of as many: one host flooding the group (a bug, or, without a secret, anyone on the segment)
 * cannot keep the receive thread from the others' heartbeats. Far above what the protocol sends:
 * a backend's elections share datagrams ({@link LanDatagram}), so a peer sends a datagram per
 * heartbeat interval (a third of the lease) for about every 25 of its elections, plus claims and
 * answers bundled alike. Peers behind one address stay below the limit while their elections,
 * all peers counted, number fewer than about 25,000 per second of heartbeat interval: three peers
 * of 10,000 elections each need a lease of 4 s or more (measured: 382 datagrams per peer every
 * 2 s with a 6 s lease). Tracks at most {@link #MAX_SOURCES} addresses, forgetting the
 * longest idle first. Source addresses can be forged on a segment: this bounds a careless host,
 * not a hostile one, which only the secret keeps out. Used by the receive thread alone.
 */
final class SourceRateLimit {

    static final int PER_SECOND = 1000;

    static final int MAX_SOURCES = 1024;

    private static final class Bucket {

        double tokens = PER_SECOND;

        long refilledNanos;

        Bucket(long nowNanos) {
            this.refilledNanos = nowNanos;
        }
    }

    private final Map<InetAddress, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
            return size() > MAX_SOURCES;
        }
    };

    /** Whether one more datagram from {@code source} may be read now. */
    boolean admit(InetAddress source, long nowNanos) {
        Bucket bucket = buckets.computeIfAbsent(source, s -> new Bucket(nowNanos));
        bucket.tokens = Math.min(PER_SECOND, bucket.tokens + (nowNanos - bucket.refilledNanos) * (PER_SECOND / 1e9));
        bucket.refilledNanos = nowNanos;
        if (bucket.tokens < 1) {
            return false;
        }
        bucket.tokens--;
        return true;
    }
}
