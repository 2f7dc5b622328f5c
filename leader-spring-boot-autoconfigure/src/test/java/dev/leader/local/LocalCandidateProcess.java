package dev.leader.local;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link LocalCandidateMain} child JVM: the commands sent to it and the lines it printed. */
final class LocalCandidateProcess implements AutoCloseable {

    private final Process process;

    private final List<String> lines = new CopyOnWriteArrayList<>();

    private LocalCandidateProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::read, "local-candidate-" + process.pid() + "-out");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the JVM and waits until its backend is open. */
    static LocalCandidateProcess start(Path directory) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), LocalCandidateMain.class.getName(), directory.toString())
                .redirectErrorStream(true).start();
        LocalCandidateProcess candidate = new LocalCandidateProcess(process);
        await().atMost(Duration.ofSeconds(30)).until(() -> candidate.lines.contains("READY"));
        return candidate;
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

    void send(String command) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Whether it sleeps in a blocking lock request ({@code ->} lines of /proc/locks). */
    boolean isBlockedInTheKernel() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/locks"))) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > 5 && fields[1].equals("->") && fields[5].equals(Long.toString(process.pid()))) {
                return true;
            }
        }
        return false;
    }

    /** The first {@code GRANTED <election> <token> <nanoTime>} line of {@code election}, split in words. */
    Optional<String[]> granted(String election) {
        return lines.stream().filter(l -> l.startsWith("GRANTED " + election + " ")).findFirst().map(l -> l.split(" "));
    }

    boolean revoked(String election) {
        return lines.stream().anyMatch(l -> l.startsWith("REVOKED " + election + " "));
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
