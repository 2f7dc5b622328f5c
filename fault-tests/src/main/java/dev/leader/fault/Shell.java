package dev.leader.fault;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short administrative commands ({@code ip}, {@code kill}) and says how they failed. */
final class Shell {

    private Shell() {
    }

    static void must(List<String> command) throws IOException {
        String failure = run(command);
        if (failure != null) {
            throw new IOException(String.join(" ", command) + " failed: " + failure);
        }
    }

    /** Null when the command succeeded, else its exit code and output. */
    static String run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
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
