package dev.leader.lan;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The highest term one candidate knows, and the terms it takes from others. Terms grow by one per
 * election, so a message whose term is more than {@link #MAX_JUMP} above the highest we know is a
 * forgery or a fault, and is refused. A candidate that knows no term yet (it just started, and
 * may join a group that has been electing for years) takes any up to {@link LanMessage#MAX_TERM},
 * which the parser enforces. So no datagram can overflow the next claim, and once a term is known
 * none can use the terms up (at most {@code MAX_JUMP} per datagram, of 2^62). Guarded by the
 * election's monitor.
 */
final class Terms {

    static final long MAX_JUMP = 1L << 20;

    private static final Logger log = LoggerFactory.getLogger(Terms.class);

    private final String logPrefix;

    private long highest;

    Terms(String logPrefix) {
        this.logPrefix = logPrefix;
    }

    /** Whether a message of {@code term} may be taken. */
    boolean plausible(long term) {
        return highest == 0 || term - highest <= MAX_JUMP;
    }

    void seen(long term) {
        if (term >= LanMessage.MAX_TERM && highest < LanMessage.MAX_TERM) {
            log.error("{} term {} reached, the largest there may be: no claim is possible any more in this election",
                    logPrefix, term);
        }
        highest = Math.max(highest, term);
    }

    long highest() {
        return highest;
    }

    /** The term to claim next; -1 once {@link LanMessage#MAX_TERM} is reached. */
    long next() {
        return highest >= LanMessage.MAX_TERM ? -1 : highest + 1;
    }
}
