package dev.leader.jdbc;

import dev.leader.jdbc.LeaseStatements.Version;
import org.jspecify.annotations.Nullable;

/**
 * The payload of a PostgreSQL {@code NOTIFY} on the lease table's channel:
 * {@code held <lease ms> <token> <version> <election> <holder>} after a grant or renewal, so that
 * followers learn the leader and watch the lease's version without a query, and
 * {@code released <election>} after a release. Election names contain no space; the holder is
 * the rest of the line.
 *
 * @param released whether the lease was released (else granted or renewed)
 * @param election the election
 * @param holder the holder, when held
 * @param leaseMillis the lease the holder renews for, when held
 * @param version the token and version the statement wrote, when held
 */
record LeaseNotification(boolean released, String election, @Nullable String holder, long leaseMillis, Version version) {

    static String released(String election) {
        return "released " + election;
    }

    /** The notification in {@code payload}, or null for one this version does not know. */
    static @Nullable LeaseNotification parse(String payload) {
        String[] parts = payload.split(" ", 6);
        try {
            if (parts.length == 2 && parts[0].equals("released")) {
                return new LeaseNotification(true, parts[1], null, 0, Version.NONE);
            }
            if (parts.length == 6 && parts[0].equals("held")) {
                return new LeaseNotification(false, parts[4], parts[5], Long.parseLong(parts[1]),
                        new Version(Long.parseLong(parts[2]), Long.parseLong(parts[3])));
            }
        }
        catch (NumberFormatException ex) {
            return null;
        }
        return null;
    }
}
