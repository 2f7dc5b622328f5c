package dev.leader.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A database server run as a child process on a free loopback port, with its data in a
 * directory of its own that survives {@link #kill9()} and {@link #restart()}, so that a
 * restarted server is the same server. The faults act on the server's whole process tree
 * (PostgreSQL forks a process per connection), always by process id.
 */
public abstract class DatabaseServer implements AutoCloseable {

    private final Path directory;

    private final int port;

    private @Nullable Process process;

    protected DatabaseServer(Path directory) throws IOException {
        this.directory = directory;
        this.port = freePort();
    }

    /** The command that runs the server in the foreground. */
    protected abstract List<String> command();

    /** Whether the server answers a query now. */
    protected abstract boolean answers();

    /** Where the server writes its log, for failure messages. */
    protected abstract Path log();

    public final int port() {
        return port;
    }

    public final Path directory() {
        return directory;
    }

    /** The server's main process id. */
    public final long pid() {
        Process running = process;
        if (running == null) {
            throw new IllegalStateException("not running");
        }
        return running.pid();
    }

    /** Starts the server (again, after {@link #kill9()}) on its port and data, and waits until it answers. */
    public final void restart() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        process = new ProcessBuilder(command()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("server-console.log").toFile())).start();
        Process started = process;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!started.isAlive()) {
                throw new AssertionError(getClass().getSimpleName() + " exited with " + started.exitValue() + "; see " + log());
            }
            return answers();
        });
    }

    /** {@code kill -9} of the server and every process it forked: a crash, no goodbye to clients. */
    public final void kill9() {
        Process running = process;
        if (running == null) {
            return;
        }
        List<ProcessHandle> tree = tree(running);
        tree.forEach(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(20)).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
        process = null;
    }

    /** SIGSTOP of the whole server: connections stay open, nothing is answered. */
    public final void pause() throws IOException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public final void resume() throws IOException {
        signal("CONT");
    }

    public final boolean isRunning() {
        Process running = process;
        return running != null && running.isAlive();
    }

    /** Kills the server and deletes its data. */
    @Override
    public void close() throws IOException {
        Process running = process;
        if (running != null) {
            try {
                signal("CONT"); // a paused server is killed all the same; this only tidies up
            }
            catch (IOException ex) {
                System.err.println("could not resume " + getClass().getSimpleName() + " before killing it: " + ex.getMessage());
            }
            kill9();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** Signals the server, then each process it forked; one that exited meanwhile is no failure. */
    private void signal(String signal) throws IOException {
        Process running = process;
        if (running == null) {
            return;
        }
        Shell.must(List.of("kill", "-" + signal, Long.toString(running.pid())));
        for (ProcessHandle child : running.descendants().toList()) {
            String failure = Shell.run(List.of("kill", "-" + signal, Long.toString(child.pid())));
            if (failure != null && child.isAlive()) {
                throw new IOException("kill -" + signal + " " + child.pid() + " failed: " + failure);
            }
        }
    }

    private static List<ProcessHandle> tree(Process process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(0, process.toHandle());
        return tree;
    }

    /** Runs a client tool to completion: its output, or an {@link IOException} with it. */
    protected static String run(List<String> command, Duration timeout) throws IOException {
        Process tool = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!tool.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                tool.destroyForcibly();
                throw new IOException(String.join(" ", command) + " timed out after " + timeout);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            tool.destroyForcibly();
            throw new IOException("interrupted", ex);
        }
        String output = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (tool.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed with " + tool.exitValue() + ": " + output);
        }
        return output;
    }

    /** {@code env NAME=value ...}, to put in front of a command; nothing for no variables. */
    protected static List<String> withEnvironment(Map<String, String> environment) {
        if (environment.isEmpty()) {
            return List.of();
        }
        List<String> prefix = new ArrayList<>(List.of("/usr/bin/env"));
        environment.forEach((name, value) -> prefix.add(name + "=" + value));
        return prefix;
    }

    protected static void requireExecutable(Path binary, String hint) {
        if (!Files.isExecutable(binary)) {
            throw new AssertionError(binary + " is missing: " + hint + " (the project's test script does)");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
