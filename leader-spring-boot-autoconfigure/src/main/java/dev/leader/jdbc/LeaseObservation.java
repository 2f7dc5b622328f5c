package dev.leader.jdbc;

import dev.leader.jdbc.LeaseStatements.Version;

/**
 * What one candidate saw of another's lease, on its own monotonic clock: the lease's version and
 * when it first received an answer or notification showing it. The version was written by a
 * statement its holder sent before that receipt, so the holder believes in that version until at
 * most receipt + its lease - margin; once the version stayed the same for a whole lease from the
 * receipt (the longer of our lease and the holder's), nobody believes in it any more, and a
 * takeover conditional on it is safe. No database clock takes part: it may jump either way.
 *
 * <p>Written by the campaign thread (answers) and the listening thread (notifications).
 */
final class LeaseObservation {

    private final long ownLeaseNanos;

    private Version version = Version.NONE;

    private long sinceNanos;

    private long holderLeaseNanos;

    LeaseObservation(long ownLeaseNanos) {
        this.ownLeaseNanos = ownLeaseNanos;
    }

    /**
     * An answer showed {@code seen}: it is the row's current version, even when it differs from
     * a greater one watched before (a row deleted by hand and created again).
     */
    synchronized void answered(Version seen, long holderLeaseNanos, long receivedNanos) {
        if (!seen.equals(version)) {
            restart(seen, receivedNanos);
        }
        this.holderLeaseNanos = Math.max(this.holderLeaseNanos, holderLeaseNanos);
    }

    /**
     * A notification showed {@code seen}; one that arrives after a later version was seen (the
     * listening connection lags behind the statements) is ignored.
     */
    synchronized void notified(Version seen, long holderLeaseNanos, long receivedNanos) {
        if (version.equals(Version.NONE) || seen.version() > version.version()) {
            restart(seen, receivedNanos);
        }
        if (seen.equals(version)) {
            this.holderLeaseNanos = Math.max(this.holderLeaseNanos, holderLeaseNanos);
        }
    }

    /** Nothing watched any more: the lease was granted to us, found free or released. */
    synchronized void forget() {
        version = Version.NONE;
        holderLeaseNanos = 0;
    }

    /** The version that may be taken over at {@code nowNanos}, or {@link Version#NONE}. */
    synchronized Version takeover(long nowNanos) {
        return !version.equals(Version.NONE) && nowNanos - sinceNanos >= watchNanos() ? version : Version.NONE;
    }

    /** When, on the monotonic clock, the version watched may be taken over if it stays the same. */
    synchronized long takeoverAtNanos() {
        return sinceNanos + watchNanos();
    }

    private long watchNanos() {
        return Math.max(ownLeaseNanos, holderLeaseNanos);
    }

    private void restart(Version seen, long receivedNanos) {
        version = seen;
        sinceNanos = receivedNanos;
        holderLeaseNanos = 0;
    }
}
