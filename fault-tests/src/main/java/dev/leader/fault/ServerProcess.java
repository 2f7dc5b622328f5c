package dev.leader.fault;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import dev.leader.testsupport.Shell;

/**
 * One server as a child process (in the lab's hub), which the plan kills with SIGKILL, stops with
 * SIGSTOP and starts again. A server of several processes (PostgreSQL's postmaster and its
 * backends) is signalled as a whole: the process and every descendant.
 */
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
        start(command);
    }

    /** Starts the process with another command line (the same server with other options), on the same port. */
    void start(List<String> otherCommand) throws IOException {
        List<String> full = new ArrayList<>(lab.inHub());
        full.addAll(otherCommand);
        process = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    List<String> command() {
        return command;
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

    /** SIGKILL of the process and its descendants: no shutdown hook, no flush beyond what the server already made durable. */
    void kill() {
        if (process != null) {
            List<ProcessHandle> all = tree();
            all.forEach(ProcessHandle::destroyForcibly);
            Pause.until(() -> all.stream().noneMatch(ProcessHandle::isAlive), Duration.ofSeconds(10));
        }
    }

    /** Sends a signal ({@code STOP}, {@code CONT}) to the process and its descendants. */
    void signal(String signal) throws IOException {
        if (alive()) {
            List<String> kill = new ArrayList<>(List.of("kill", "-" + signal));
            tree().forEach(p -> kill.add(String.valueOf(p.pid())));
            // A descendant may have exited meanwhile: what counts is that the live ones got it.
            Shell.run(kill);
        }
    }

    private List<ProcessHandle> tree() {
        return Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList();
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            signal("CONT");
        }
        catch (IOException ex) {
            // Not stopped, or gone: the kill below is what counts.
        }
        kill();
    }
}
