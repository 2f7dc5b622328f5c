package dev.leader.fault;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One server as a child process (in the lab's hub), which the plan kills with SIGKILL and starts again. */
final class ServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Lab lab;

    private final List<String> command;

    private final Path log;

    private final int port;

    private Process process;

    ServerProcess(Lab lab, List<String> command, Path log, int port) {
        this.lab = lab;
        this.command = command;
        this.log = log;
        this.port = port;
    }

    /** Starts the process; {@link #awaitAccepting()} waits for its port. */
    void start() throws IOException {
        List<String> full = new ArrayList<>(lab.inHub());
        full.addAll(command);
        process = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    void awaitAccepting() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!lab.accepts(port)) {
            if (!process.isAlive()) {
                throw new IOException("server exited with " + process.exitValue() + ": " + command + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("server did not accept on port " + port + " within " + START_TIMEOUT + "; see " + log);
            }
            Pause.millis(50);
        }
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no flush beyond what the server already made durable. */
    void kill() {
        if (process != null) {
            process.destroyForcibly();
            Pause.until(() -> !process.isAlive(), Duration.ofSeconds(10));
        }
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        kill();
    }
}
