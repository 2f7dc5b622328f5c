package dev.leader.testsupport;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** Runs short administrative commands ({@code ip}, {@code tc}, {@code kill}) and says how they failed. */
public final class Shell {

    private static final long TIMEOUT_SECONDS = 20;

    private Shell() {
    }

    /** Runs {@code command}; an {@link IOException} naming it and its output if it fails. */
    public static void must(List<String> command) throws IOException {
        String failure = run(command);
        if (failure != null) {
            throw new IOException(String.join(" ", command) + " failed: " + failure);
        }
    }

    /** Runs {@code command}: null when it succeeded, else its exit code and output. */
    public static @Nullable String run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "timed out";
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return "interrupted";
        }
        String output = new String(p.getInputStream().readAllBytes()).trim();
        return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + output;
    }
}
