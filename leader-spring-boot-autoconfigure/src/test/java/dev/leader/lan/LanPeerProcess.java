package dev.leader.lan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LanPeerMain} child JVM, in a network namespace or on {@code lo}, and what it said.
 */
final class LanPeerProcess implements AutoCloseable {

    record Line(String text, long receivedNanos) {

        String word(int i) {
            return text.split(" ")[i];
        }
    }

    final String id;

    private final Process process;

    private final Writer stdin;

    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private volatile boolean outputEnded;

    private LanPeerProcess(String id, Process process) {
        this.id = id;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String text;
                while ((text = out.readLine()) != null) {
                    lines.add(new Line(text, System.nanoTime()));
                }
            }
            catch (IOException ex) {
                // process gone
            }
            finally {
                outputEnded = true;
            }
        }, "peer-" + id);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts a peer; {@code namespace} null runs it in this host's namespace.
     *
     * @param options {@code key=value} arguments of {@link LanPeerMain}
     */
    static LanPeerProcess start(String namespace, String id, List<String> options) throws IOException {
        return start(namespace, id, LanPeerMain.class, options);
    }

    /** Starts {@code main} (a {@link LanPeerMain}, or another sender of datagrams) with {@code id=…} and {@code options}. */
    static LanPeerProcess start(String namespace, String id, Class<?> main, List<String> options) throws IOException {
        List<String> command = new ArrayList<>();
        if (namespace != null) {
            command.addAll(List.of("ip", "netns", "exec", namespace));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), main.getName(), "id=" + id));
        command.addAll(options);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new LanPeerProcess(id, process);
    }

    void awaitReady() {
        await().atMost(Duration.ofSeconds(30)).until(() -> lines.stream().anyMatch(l -> l.text().equals("READY"))
                || !process.isAlive());
        assertThat(process.isAlive()).as("peer %s died at start-up: %s", id, lines).isTrue();
    }

    void command(String command) throws IOException {
        stdin.write(command + "\n");
        stdin.flush();
    }

    List<Line> lines() {
        return List.copyOf(lines);
    }

    List<Line> lines(String prefix) {
        return lines.stream().filter(l -> l.text().startsWith(prefix + " ") || l.text().equals(prefix)).toList();
    }

    /** Leading as far as its events say: the last grant has no revoke after it. */
    boolean leads() {
        if (!process.isAlive()) {
            return false;
        }
        boolean leading = false;
        for (Line line : lines) {
            if (line.text().startsWith("GRANTED ")) {
                leading = true;
            }
            else if (line.text().startsWith("REVOKED ")) {
                leading = false;
            }
        }
        return leading;
    }

    long grants() {
        return lines("GRANTED").size();
    }

    /** The monotonic time of the child's last grant. */
    long lastGrantNanos() {
        List<Line> grants = lines("GRANTED");
        return Long.parseLong(grants.get(grants.size() - 1).word(2));
    }

    /**
     * A span of {@link LanPeerMain}'s belief samples: {@code from} the first true sample of a
     * term to {@code to} its last, or {@link Long#MAX_VALUE} while it lasts.
     */
    record Belief(String peer, long token, long from, long to) {

        boolean overlaps(Belief other) {
            return from <= other.to && other.from <= to;
        }
    }

    /** What its belief probe ({@code beliefs=true}) reported so far. */
    List<Belief> beliefs() {
        List<Belief> spans = new ArrayList<>();
        long token = -1;
        long from = 0;
        for (Line line : lines) {
            if (line.text().startsWith("BELIEVES ")) {
                token = Long.parseLong(line.word(1));
                from = Long.parseLong(line.word(2));
            }
            else if (line.text().startsWith("DOUBTS ") && token >= 0) {
                spans.add(new Belief(toShortString(), token, from, Long.parseLong(line.word(2))));
                token = -1;
            }
        }
        if (token >= 0) {
            // A dead peer believed at most until its last word.
            spans.add(new Belief(toShortString(), token, from, isAlive() ? Long.MAX_VALUE : lines.get(lines.size() - 1).receivedNanos()));
        }
        return spans;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGSTOP: the JVM stalls, as in a long pause, while its socket keeps queueing datagrams. */
    void suspend() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #suspend()}. */
    void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).redirectErrorStream(true).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -%s %s: %s", name, process.pid(), new String(kill.getInputStream().readAllBytes()))
                .isZero();
    }

    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for the exit and for the last line of output. */
    void terminate() throws InterruptedException {
        // Not Process.destroy(): it closes our end of the child's stdout at once, losing the
        // lines its shutdown hook prints.
        process.toHandle().destroy();
        process.waitFor(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> outputEnded);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** The id and the pid: peers may share an id. */
    String toShortString() {
        return id + "#" + process.pid();
    }

    @Override
    public String toString() {
        return id + (process.isAlive() ? "" : " exit " + process.exitValue()) + lines;
    }
}
