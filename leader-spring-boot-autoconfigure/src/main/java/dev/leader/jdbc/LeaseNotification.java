package dev.leader.jdbc;

import org.jspecify.annotations.Nullable;

/**
 * The payload of a PostgreSQL {@code NOTIFY} on the lease table's channel:
 * {@code held <lease ms> <election> <holder>} after a grant or renewal, so that followers learn
 * the leader and push their wake-up back without a query, and {@code released <election>}
 * after a release. Election names contain no space; the holder is the rest of the line.
 *
 * @param released whether the lease was released (else granted or renewed)
 * @param election the election
 * @param holder the holder, when held
 * @param leaseMillis how long the lease runs from the statement, when held
 */
record LeaseNotification(boolean released, String election, @Nullable String holder, long leaseMillis) {

    static String held(String election, long leaseMillis, String holder) {
        return "held " + leaseMillis + " " + election + " " + holder;
    }

    static String released(String election) {
        return "released " + election;
    }

    /** The notification in {@code payload}, or null for one this version does not know. */
    static @Nullable LeaseNotification parse(String payload) {
        String[] parts = payload.split(" ", 4);
        try {
            if (parts.length == 2 && parts[0].equals("released")) {
                return new LeaseNotification(true, parts[1], null, 0);
            }
            if (parts.length == 4 && parts[0].equals("held")) {
                return new LeaseNotification(false, parts[2], parts[3], Long.parseLong(parts[1]));
            }
        }
        catch (NumberFormatException ex) {
            return null;
        }
        return null;
    }
}
