package dev.leader.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.leader.testsupport.Shell;

/**
 * The fault-app JVMs, one per slot (a slot is a network namespace in the lab). A killed app is
 * replaced by a new one with a new candidate id in the same slot. Every app reports to one
 * shared file, which the checker reads, and runs under libfaketime when it is installed, so that
 * the plan can move its wall clock (its monotonic clock stays true: that is what deadlines use).
 */
final class Apps implements AutoCloseable {

    private static final Path LIBFAKETIME = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1");

    /** One JVM: its slot, candidate id and process, its log and the file that takes its {@link #order orders}. */
    record App(int slot, String candidateId, Process process, Path log, Path control) {

        long pid() {
            return process.pid();
        }
    }

    private final Lab lab;

    private final Path jar;

    private final Path work;

    private final List<String> arguments;

    private final Path report;

    private final App[] slots;

    private final Map<String, App> byCandidate = new HashMap<>();

    /** Apps started with another app's candidate id. */
    private final List<App> duplicates = new ArrayList<>();

    private int generation;

    Apps(Lab lab, Path jar, Path work, int slots, List<String> arguments) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the fault app first (./mvnw package -pl fault-tests/app -am)");
        }
        this.lab = lab;
        this.jar = jar;
        this.work = work;
        this.slots = new App[slots];
        this.arguments = List.copyOf(arguments);
        this.report = work.resolve("report.txt");
    }

    Path report() {
        return report;
    }

    int size() {
        return slots.length;
    }

    static boolean clockFaultsAvailable() {
        return Files.isReadable(LIBFAKETIME);
    }

    App start(int slot) throws IOException {
        String candidateId = "s" + slot + "g" + generation++;
        App app = launch(slot, candidateId, work.resolve(candidateId + ".log"));
        slots[slot] = app;
        byCandidate.put(candidateId, app);
        return app;
    }

    /** A second app in {@code slot} with the candidate id of another; {@link #close()} stops it if the plan did not. */
    App startDuplicate(int slot, String candidateId) throws IOException {
        App app = launch(slot, candidateId, work.resolve(candidateId + "-duplicate-" + generation++ + ".log"));
        duplicates.add(app);
        return app;
    }

    private App launch(int slot, String candidateId, Path log) throws IOException {
        Path control = log.resolveSibling(log.getFileName().toString().replace(".log", ".control"));
        List<String> command = new ArrayList<>(lab.inSlot(slot));
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx160m", "-Xss512k", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-XX:-UsePerfData", "-jar", jar.toString(), "--spring.main.web-application-type=none",
                "--spring.jmx.enabled=false", "--leader.candidate-id=" + candidateId, "--fault.report-file=" + report,
                "--fault.pool-hog-file=" + poolHogFile(slot), "--fault.control-file=" + control));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        if (clockFaultsAvailable()) {
            Path clock = clockFile(slot);
            if (!Files.exists(clock)) {
                Files.writeString(clock, "+0\n");
            }
            builder.environment().putAll(fakeClockEnvironment(clock));
        }
        return new App(slot, candidateId, builder.start(), log, control);
    }

    /** The environment that puts a process under libfaketime, its wall clock read from {@code clock} ("+0", "+7200"). */
    static Map<String, String> fakeClockEnvironment(Path clock) {
        return Map.of("LD_PRELOAD", LIBFAKETIME.toString(), "FAKETIME_TIMESTAMP_FILE", clock.toString(),
                "FAKETIME_CACHE_DURATION", "1",
                // Only the wall clock moves; and libfaketime's monotonic "fix" breaks timed waits in the JVM.
                "FAKETIME_DONT_FAKE_MONOTONIC", "1", "FAKETIME_FORCE_MONOTONIC_FIX", "0");
    }

    /**
     * The file through which the plan tells the app in {@code slot} to exhaust its own pool: the
     * plan writes a number of seconds, the app writes {@code done} when it gave the connections back.
     */
    Path poolHogFile(int slot) {
        return work.resolve("pool-hog-" + slot + ".txt");
    }

    /**
     * Has {@code app} step out of an election ({@code withdraw fault-b}) or back in
     * ({@code join fault-b}); true once it did (a withdrawal returns once its leadership, if it
     * had it, was released). Written whole with a rename: the app never reads half an order.
     */
    boolean order(App app, String order, Duration timeout) throws IOException {
        Path next = app.control().resolveSibling(app.control().getFileName() + ".next");
        Files.writeString(next, order + "\n");
        Files.move(next, app.control(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return Pause.until(() -> {
            try {
                return Files.readString(app.control()).strip().equals("done");
            }
            catch (IOException ex) {
                return false;
            }
        }, timeout);
    }

    App inSlot(int slot) {
        return slots[slot];
    }

    Optional<App> byCandidate(String candidateId) {
        return Optional.ofNullable(byCandidate.get(candidateId));
    }

    /** True when the app logged that it started (its election then campaigns). */
    static boolean started(App app) {
        try {
            return Files.readString(app.log()).contains("Started FaultApplication");
        }
        catch (IOException ex) {
            return false;
        }
    }

    boolean allStarted() {
        for (App app : slots) {
            if (app == null || !app.process().isAlive() || !started(app)) {
                return false;
            }
        }
        return true;
    }

    /** Moves an app's wall clock by the given offset ("+7200", "-3600"); "+0" puts it back. */
    void setClock(int slot, String offset) throws IOException {
        Files.writeString(clockFile(slot), offset + "\n");
    }

    void signal(App app, String signal) throws IOException {
        Shell.must(List.of("kill", "-" + signal, String.valueOf(app.pid())));
    }

    void awaitExit(App app, Duration timeout) {
        if (!Pause.until(() -> !app.process().isAlive(), timeout)) {
            app.process().destroyForcibly();
            Pause.until(() -> !app.process().isAlive(), Duration.ofSeconds(10));
        }
    }

    private Path clockFile(int slot) {
        return work.resolve("clock-" + slot + ".txt");
    }

    @Override
    public void close() {
        List<App> all = new ArrayList<>(byCandidate.values());
        all.addAll(duplicates);
        for (App app : all) {
            if (app.process().isAlive()) {
                try {
                    signal(app, "CONT");
                }
                catch (IOException ex) {
                    // Not stopped, or already gone: the kill below is what counts.
                }
                app.process().destroyForcibly();
            }
        }
    }
}
