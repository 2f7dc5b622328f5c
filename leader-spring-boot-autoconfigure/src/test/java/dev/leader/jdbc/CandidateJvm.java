package dev.leader.jdbc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import dev.leader.testsupport.Shell;

/** A {@link JdbcCandidateMain} child JVM and the lines it printed. */
final class CandidateJvm implements AutoCloseable {

    private final String id;

    private final Process process;

    private final List<String> lines = new CopyOnWriteArrayList<>();

    private CandidateJvm(String id, Process process) {
        this.id = id;
        this.process = process;
        Thread reader = new Thread(this::read, "candidate-" + id + "-out");
        reader.setDaemon(true);
        reader.start();
    }

    static CandidateJvm start(String url, String user, String election, String id, long leaseMillis) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), JdbcCandidateMain.class.getName(), url, user, election, id,
                Long.toString(leaseMillis)).redirectErrorStream(true).start();
        return new CandidateJvm(id, process);
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

    List<String> lines() {
        return List.copyOf(lines);
    }

    /** The wall-clock time of the first line starting with {@code prefix}. */
    Optional<Long> first(String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().map(CandidateJvm::time);
    }

    long count(String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).count();
    }

    /** The latest lease deadline it reported, in wall-clock ms. */
    long lastDeadline() {
        return lines.stream().filter(l -> l.startsWith("DEADLINE ")).mapToLong(CandidateJvm::time).max().orElse(0);
    }

    /** Whether it leads by its own account: more grants than revocations printed. */
    boolean leads() {
        return count("GRANTED") > count("REVOKED");
    }

    void signal(String signal) throws IOException {
        Shell.must(List.of("kill", "-" + signal, Long.toString(process.pid())));
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
