package dev.leader.local;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/**
 * What a lock file says: the last fencing token and the current holder. Written in one
 * {@code write} at offset 0 and only then truncated, so a process killed between the two
 * leaves a valid record followed by a stale tail; the reader stops at the end marker.
 */
record LockFileContent(long fencingToken, @Nullable String holder) {

    private static final String END = "end";

    byte[] toBytes() {
        return ("fencing=" + fencingToken + "\nholder=" + (holder == null ? "" : holder) + "\n" + END + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a record; {@code null} when the bytes hold none (a new, emptied or garbled file). */
    static @Nullable LockFileContent parse(byte[] bytes, int length) {
        String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
        Long token = null;
        String holder = null;
        for (String line : text.split("\n", -1)) {
            if (line.equals(END)) {
                return token == null ? null : new LockFileContent(token, holder);
            }
            if (line.startsWith("fencing=")) {
                try {
                    token = Long.parseLong(line.substring("fencing=".length()));
                }
                catch (NumberFormatException ex) {
                    return null;
                }
            }
            else if (line.startsWith("holder=")) {
                String value = line.substring("holder=".length());
                holder = value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    /**
     * The record of the next term. Its token is above the stored one, at least
     * {@code atLeast} (above every token this JVM saw), and never below the wall clock in
     * microseconds since the epoch. Grants of one file are more than a microsecond apart (each
     * waits for an fsync), so each token is the microsecond of its grant unless the clock is
     * behind; a file that lost its record (deleted, emptied, garbled, an older copy put back)
     * resumes above every token given before, unless the wall clock was set back by more than
     * the time since that token was given.
     *
     * @throws ArithmeticException if the stored token cannot grow
     */
    static LockFileContent nextTerm(@Nullable LockFileContent stored, long atLeast, String holder) {
        long floor = Math.max(atLeast, ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()));
        long token = stored == null ? floor : Math.max(Math.addExact(stored.fencingToken(), 1), floor);
        return new LockFileContent(token, holder);
    }
}
