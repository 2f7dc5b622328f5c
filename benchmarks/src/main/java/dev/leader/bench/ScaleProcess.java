package dev.leader.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/** The harness's handle on one {@link ScaleCandidate} JVM: a command, then the reply line it awaits. */
final class ScaleProcess implements AutoCloseable {

    /** A candidate JVM that died or did not answer in time; says what its log said last. */
    static final class Gone extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Gone(String message) {
            super(message);
        }
    }

    static final List<String> JVM_OPTIONS = List.of("-Xmx1g", "-XX:+UseSerialGC", CandidateProcess.LOGGING);

    /** Beyond this many live threads a JVM opens no more elections (see {@code ScaleCandidate}). */
    static final int MAX_THREADS = 8_000;

    private static final String EXITED = "EXITED";

    private final String id;

    private final Process process;

    private final Writer stdin;

    private final Path log;

    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

    private ScaleProcess(String id, Process process, Path log) {
        this.id = id;
        this.process = process;
        this.log = log;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    static ScaleProcess start(JvmClasspath classpath, String backend, String address, String id, Duration lease, int spread,
            Path log) {
        List<String> options = new ArrayList<>(JVM_OPTIONS);
        options.add("-Dscale.maxThreads=" + MAX_THREADS);
        List<String> command = classpath.java(options, ScaleCandidate.class.getName(),
                List.of(backend, address, id, Long.toString(lease.toMillis()), Integer.toString(spread)));
        try {
            ScaleProcess candidate = new ScaleProcess(id, new ProcessBuilder(command).redirectError(log.toFile()).start(), log);
            Thread reader = new Thread(candidate::read, "scale-read-" + id);
            reader.setDaemon(true);
            reader.start();
            return candidate;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot start scale candidate " + id, ex);
        }
    }

    private void read() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(Candidate.PREFIX)) {
                    replies.add(line.substring(Candidate.PREFIX.length()));
                }
            }
        }
        catch (IOException ex) {
            // The process died: its output simply ends.
        }
        replies.add(EXITED);
    }

    String id() {
        return id;
    }

    /** Sends {@code command} (null: none) and returns the words after {@code kind} of the next reply. */
    String[] ask(@Nullable String command, String kind, Duration timeout) throws InterruptedException {
        if (command != null) {
            send(command);
        }
        String reply = replies.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (reply == null || reply.equals(EXITED)) {
            if (reply != null) {
                replies.add(EXITED);
            }
            throw new Gone(id + (reply == null ? " did not answer " + kind + " within " + timeout.toSeconds() + " s" : " exited")
                    + lastError());
        }
        String[] words = reply.split(" ");
        if (!words[0].equals(kind)) {
            throw new IllegalStateException(id + " answered '" + reply + "' where " + kind + " was expected");
        }
        return Arrays.copyOfRange(words, 1, words.length);
    }

    void send(String command) {
        try {
            stdin.write(command + "\n");
            stdin.flush();
        }
        catch (IOException ex) {
            throw new Gone(id + " is gone" + lastError());
        }
    }

    /** The last line of its log that names an error, for a report that says why it stopped. */
    private String lastError() {
        try {
            List<String> errors = new ArrayList<>();
            for (String line : Files.readAllLines(log)) {
                if (line.contains("Error") || line.contains("Exception")) {
                    errors.add(line.strip());
                }
            }
            return errors.isEmpty() ? " (log: " + log + ")" : " (" + errors.get(errors.size() - 1) + "; log: " + log + ")";
        }
        catch (IOException | UncheckedIOException ex) {
            return " (log: " + log + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                send("EXIT");
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
            catch (Gone ex) {
                process.destroyForcibly();
            }
            catch (InterruptedException ex) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
