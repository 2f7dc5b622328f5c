package dev.leader.local;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * What a lock file says: the last fencing token and the current holder. Written in one
 * {@code write} at offset 0 and only then truncated, so a process killed between the two
 * leaves a valid record followed by a stale tail, never an empty file that would reset the
 * token; the reader stops at the end marker.
 */
record LockFileContent(long fencingToken, @Nullable String holder) {

    private static final String END = "end";

    static final LockFileContent EMPTY = new LockFileContent(0, null);

    byte[] toBytes() {
        return ("fencing=" + fencingToken + "\nholder=" + (holder == null ? "" : holder) + "\n" + END + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a record; {@code null} when the bytes hold none (a file never written). */
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

    LockFileContent next(String newHolder) {
        return new LockFileContent(fencingToken + 1, newHolder);
    }

    LockFileContent released() {
        return new LockFileContent(fencingToken, null);
    }
}
