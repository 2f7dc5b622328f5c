package dev.leader.election;

import java.time.Instant;
import java.util.Objects;

/**
 * One term of leadership.
 *
 * @param election the election's name
 * @param candidateId the leader
 * @param fencingToken larger than every earlier term's token of the same election; pass it to
 * downstream systems so that they can reject a stale leader's writes
 * @param grantedAt wall-clock time of the grant, for display only
 */
public record Leadership(String election, String candidateId, long fencingToken, Instant grantedAt) {

    public Leadership {
        Objects.requireNonNull(election, "election");
        Objects.requireNonNull(candidateId, "candidateId");
        Objects.requireNonNull(grantedAt, "grantedAt");
    }
}
