package dev.leader.election;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ThreadLocalRandom;

/** Default candidate ids: {@code hostname:pid:random}, unique per process. */
public final class CandidateIds {

    private CandidateIds() {
    }

    /** Requires a usable id: not blank, no control characters (ids end up in logs and keys). */
    public static String requireValid(String property, String candidateId) {
        if (candidateId.isBlank() || candidateId.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidSettingException(property, candidateId, "a non-blank id without control characters");
        }
        return candidateId;
    }

    public static String generate() {
        return host() + ":" + ProcessHandle.current().pid() + ":"
                + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36 * 36), 36);
    }

    private static String host() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException ex) {
            return "localhost";
        }
    }
}
