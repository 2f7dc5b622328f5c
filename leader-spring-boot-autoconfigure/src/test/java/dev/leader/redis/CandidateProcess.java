package dev.leader.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link RedisCandidateMain} child JVM and the lines it printed. */
final class CandidateProcess implements AutoCloseable {

    private final String id;

    private final Process process;

    private final List<String> lines = new CopyOnWriteArrayList<>();

    private CandidateProcess(String id, Process process) {
        this.id = id;
        this.process = process;
        Thread reader = new Thread(this::read, "candidate-" + id + "-out");
        reader.setDaemon(true);
        reader.start();
    }

    static CandidateProcess start(String url, String election, String id, long leaseMillis) throws IOException {
        return start(List.of(), url, election, id, leaseMillis);
    }

    /**
     * A candidate whose command line starts with {@code prefix} (such as {@code ip netns exec
     * <namespace>}); {@code options} are {@link RedisCandidateMain}'s optional arguments.
     */
    static CandidateProcess start(List<String> prefix, String url, String election, String id, long leaseMillis,
            String... options) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                RedisCandidateMain.class.getName(), url, election, id, Long.toString(leaseMillis)));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new CandidateProcess(id, process);
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("@@ ")) {
                    lines.add(line.substring(3));
                }
            }
        }
        catch (IOException ex) {
            // the process ended
        }
    }

    String id() {
        return id;
    }

    long pid() {
        return process.pid();
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    /** The wall-clock time of the first line starting with {@code prefix}. */
    Optional<Long> first(String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().map(CandidateProcess::time);
    }

    long count(String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).count();
    }

    /** The latest lease deadline it reported, in wall-clock ms. */
    long lastDeadline() {
        return lines.stream().filter(l -> l.startsWith("DEADLINE ")).mapToLong(CandidateProcess::time).max().orElse(0);
    }

    void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    static long time(String line) {
        return Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
