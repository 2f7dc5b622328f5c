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
 * A server run as a child process on a free port, with its data in a directory of its own that
 * survives {@link #kill9()} and {@link #restart()}, so that a restarted server is the same
 * server. It runs where its {@link Placement} says: this host's loopback, or through a command
 * prefix (a network namespace) on an address there. The faults act on the server's whole process
 * tree (PostgreSQL forks a process per connection), always by process id.
 */
public abstract class ServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;

    private final Placement placement;

    private final int port;

    private final @Nullable Path consoleLog;

    private @Nullable Process process;

    private volatile boolean paused;

    protected ServerProcess(Path directory) throws IOException {
        this(directory, Placement.LOOPBACK);
    }

    protected ServerProcess(Path directory, Placement placement) throws IOException {
        this(directory, placement, null);
    }

    /**
     * @param consoleLog the file the server's output is appended to; null for one in its directory,
     *        which {@link #close()} deletes, so a run that keeps its logs names a file elsewhere
     */
    protected ServerProcess(Path directory, Placement placement, @Nullable Path consoleLog) throws IOException {
        this.directory = directory;
        this.placement = placement;
        this.port = freePort();
        this.consoleLog = consoleLog;
    }

    /** The command that runs the server in the foreground, without the placement's prefix. */
    protected abstract List<String> command();

    /** Whether the server answers now; by default, whether its port accepts connections. */
    protected boolean answers() {
        return placement.accepts(port);
    }

    /** Where the server writes its log, for failure messages. */
    protected Path log() {
        return console();
    }

    /** The server's port: the one clients use. */
    public final int port() {
        return port;
    }

    public final Placement placement() {
        return placement;
    }

    /** The address clients reach it at. */
    public final String address() {
        return placement.address();
    }

    public final Path directory() {
        return directory;
    }

    /** The server's main process id. */
    public final long pid() {
        return running().pid();
    }

    /** Starts the server (again, after {@link #kill9()}) on its port and data, and waits until it answers. */
    public final void restart() throws IOException {
        launch();
        awaitAnswering();
    }

    /** Starts the server without waiting: the members of a cluster start together, then wait for each other. */
    protected final void launch() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name() + " is already running");
        }
        paused = false;
        process = new ProcessBuilder(placement.command(command())).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(console().toFile())).start();
    }

    /** Waits until {@link #answers()}; fails at once, naming the log, if the server exits. */
    protected final void awaitAnswering() {
        Process started = running();
        await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!started.isAlive()) {
                throw new AssertionError(name() + " exited with " + started.exitValue() + "; see " + log());
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
        List<ProcessHandle> tree = new ArrayList<>(running.descendants().toList());
        tree.add(0, running.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(20)).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
        process = null;
    }

    /**
     * SIGSTOP of the whole server, returning once it is stopped: its sockets stay open and the
     * kernel still accepts connections and acknowledges bytes, but nothing is answered, as from a
     * hung host.
     */
    public final void pause() throws IOException {
        signal("STOP");
        long pid = pid();
        await().atMost(Duration.ofSeconds(10)).until(() -> processState(pid) == 'T');
        paused = true;
    }

    /** SIGCONT after {@link #pause()}. */
    public final void resume() throws IOException {
        signal("CONT");
        paused = false;
    }

    /** Whether it was stopped by {@link #pause()} and not resumed since. */
    public final boolean isPaused() {
        return paused;
    }

    public final boolean isRunning() {
        Process running = process;
        return running != null && running.isAlive();
    }

    /** Kills the server and deletes its data. */
    @Override
    public void close() throws IOException {
        if (process != null) {
            try {
                signal("CONT"); // a paused server is killed all the same; this only tidies up
            }
            catch (IOException ex) {
                System.err.println("could not resume " + name() + " before killing it: " + ex.getMessage());
            }
            kill9();
        }
        deleteTree(directory);
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

    private Process running() {
        Process running = process;
        if (running == null) {
            throw new IllegalStateException(name() + " is not running");
        }
        return running;
    }

    private Path console() {
        return consoleLog != null ? consoleLog : directory.resolve("server-console.log");
    }

    private String name() {
        return getClass().getSimpleName() + " on port " + port;
    }

    /** The state letter of {@code /proc/<pid>/stat} ("pid (comm) state ..."): {@code T} when stopped. */
    private static char processState(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
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

    /** The first line {@code command} prints, such as {@code redis-server --version}; "unknown" if it cannot run. */
    public static String version(String... command) {
        try {
            return run(List.of(command), Duration.ofSeconds(10)).lines().findFirst().orElse("unknown");
        }
        catch (IOException ex) {
            return "unknown (" + ex.getMessage() + ")";
        }
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

    /** A port no socket on this host's loopback holds now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
