package dev.leader.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** The harness's handle on one {@link Candidate} JVM; its lines go to a queue shared by all candidates. */
final class CandidateProcess implements AutoCloseable {

    /** One line a candidate printed: {@code kind} is READY, GRANTED, RELEASED or LEADER. */
    record Signal(CandidateProcess from, String kind, long nanos, String text) {
    }

    private final String id;

    private final Process process;

    private final Writer stdin;

    private CandidateProcess(String id, Process process) {
        this.id = id;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** JVM options of a candidate JVM that hosts one candidate. */
    static final List<String> JVM_OPTIONS = List.of("-Xmx128m", "-XX:+UseSerialGC");

    /** INFO to stderr (the candidate's log file) instead of logback's default, DEBUG to stdout. */
    static final String LOGGING = "-Dlogback.configurationFile=candidate-logback.xml";

    static CandidateProcess start(JvmClasspath classpath, String backend, String address, String election, String id,
            Duration lease, Path log, BlockingQueue<Signal> signals) {
        return start(classpath, JVM_OPTIONS, backend, address, election, id, lease, 1, log, signals);
    }

    /** A JVM hosting {@code sessions} candidates, each with its own client (the herd). */
    static CandidateProcess start(JvmClasspath classpath, List<String> jvmOptions, String backend, String address, String election,
            String id, Duration lease, int sessions, Path log, BlockingQueue<Signal> signals) {
        List<String> args = new ArrayList<>(List.of(backend, address, election, id, Long.toString(lease.toMillis())));
        if (sessions != 1) {
            args.add(Integer.toString(sessions));
        }
        List<String> options = new ArrayList<>(jvmOptions);
        options.add(LOGGING);
        List<String> command = classpath.java(options, Candidate.class.getName(), args);
        try {
            Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
            CandidateProcess candidate = new CandidateProcess(id, process);
            Thread reader = new Thread(() -> candidate.read(signals), "bench-read-" + id);
            reader.setDaemon(true);
            reader.start();
            return candidate;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot start candidate " + id, ex);
        }
    }

    private void read(BlockingQueue<Signal> signals) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (!line.startsWith(Candidate.PREFIX)) {
                    continue;
                }
                String[] words = line.substring(Candidate.PREFIX.length()).split(" ");
                long nanos = words.length > 1 && !words[0].equals("LEADER") ? Long.parseLong(words[1]) : System.nanoTime();
                signals.add(new Signal(this, words[0], nanos, line));
            }
        }
        catch (IOException ex) {
            // The process died (kill -9 in the failover rounds): its output simply ends.
        }
        signals.add(new Signal(this, "EXITED", System.nanoTime(), ""));
    }

    String id() {
        return id;
    }

    void send(String command) {
        try {
            stdin.write(command + "\n");
            stdin.flush();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("candidate " + id + " is gone", ex);
        }
    }

    /** SIGKILL: no shutdown hook, no release; the server must notice by itself. */
    void kill() {
        process.destroyForcibly();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                send("EXIT");
            }
            catch (UncheckedIOException ex) {
                // Already exiting.
            }
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
            catch (InterruptedException ex) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return id;
    }
}
