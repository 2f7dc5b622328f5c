package dev.leader.redis;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Who holds a lease: the candidate id and the incarnation of the election object that took it.
 * Two instances started with one candidate id (a copied configuration, or two elections of one
 * name on two backends) are then two candidates: neither mistakes the other's lease for its own
 * and takes it over at every renewal while the other still believes. Stored as the lease value
 * {@code <candidate id>#<16 hex digits>}.
 *
 * @param candidateId the candidate id, as followers report the leader
 * @param incarnation 16 hex digits, new for every election object; empty for a value another
 *        writer put there without one
 */
record LeaseOwner(String candidateId, String incarnation) {

    private static final char SEPARATOR = '#';

    private static final int INCARNATION_DIGITS = 16;

    /** A new incarnation of {@code candidateId}. */
    static LeaseOwner next(String candidateId) {
        return new LeaseOwner(candidateId, HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
    }

    /** The owner a lease value names; null for none (no key, or the empty value of a held-back lease). */
    static @Nullable LeaseOwner parse(@Nullable Object value) {
        String text = value == null ? "" : String.valueOf(value);
        if (text.isEmpty()) {
            return null;
        }
        int at = text.length() - INCARNATION_DIGITS - 1;
        if (at >= 0 && text.charAt(at) == SEPARATOR && isHex(text.substring(at + 1))) {
            return new LeaseOwner(text.substring(0, at), text.substring(at + 1));
        }
        return new LeaseOwner(text, "");
    }

    /** The lease value. */
    String value() {
        return candidateId + SEPARATOR + incarnation;
    }

    /** Another incarnation of the same candidate id. */
    boolean isTwinOf(LeaseOwner other) {
        return candidateId.equals(other.candidateId) && !incarnation.equals(other.incarnation);
    }

    private static boolean isHex(String digits) {
        return digits.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }
}
