package dev.leader.election;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/** Default candidate ids: {@code hostname:pid:random}, unique per process. */
public final class CandidateIds {

    /** The kernel's host name on Linux (Kubernetes sets it to the pod's name). */
    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

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

    /**
     * The host's name: {@code HOSTNAME} when exported, else the kernel's, read from a file; a
     * name lookup ({@link InetAddress#getLocalHost()}) only elsewhere, since it costs milliseconds
     * at start-up, or seconds where the name does not resolve.
     */
    private static String host() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            String kernel = Files.readString(KERNEL_HOSTNAME).strip();
            if (!kernel.isEmpty()) {
                return kernel;
            }
        }
        catch (IOException | RuntimeException ex) {
            // Not Linux: look the name up.
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException ex) {
            return "localhost";
        }
    }
}
