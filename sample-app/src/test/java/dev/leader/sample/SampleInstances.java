package dev.leader.sample;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.json.JsonParserFactory;

/**
 * Separate JVMs of the sample jar, each with its own port and log file; what they log and
 * report over HTTP, for tests that check real hand-off between processes.
 */
final class SampleInstances implements AutoCloseable {

    /**
     * How long a test waits for instances to boot: 5 to 9 s each on an idle 2-core machine, over
     * a minute when it is shared with other builds.
     */
    static final Duration BOOT = Duration.ofMinutes(3);

    private static final Pattern GRANTED = Pattern.compile("leadership granted election=\\S+ candidate=(\\S+) token=(\\d+) at=(\\d+)");

    private static final Pattern REVOKED = Pattern.compile("leadership revoked election=\\S+ candidate=(\\S+) token=(\\d+) reason=\\S+ at=(\\d+)");

    private static final Pattern ASYNC_STARTED = Pattern.compile("async started candidate=\\S+ token=\\d+ start=(\\d+)");

    private static final Pattern ASYNC_FINISHED = Pattern.compile("async (?:ran|abandoned) candidate=\\S+ token=\\d+ start=(\\d+) end=\\d+");

    record Instance(Process process, int port, Path log) {
    }

    record Grant(String candidateId, long token, long atNanos) {
    }

    record JobRun(String candidateId, long token, long startNanos, long endNanos) {
    }

    private final Path jar = Path.of(System.getProperty("sample.jar", "target/sample-app.jar"));

    private final Path workDirectory;

    private final List<Instance> instances = new ArrayList<>();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    SampleInstances(Path workDirectory) {
        this.workDirectory = workDirectory;
    }

    Instance start(String... arguments) throws IOException {
        return start(List.of(), List.of(), arguments);
    }

    /** Starts an instance with JVM options, e.g. {@code -Dspring.aot.enabled=true}. */
    Instance startWithJvmOptions(List<String> jvmOptions, String... arguments) throws IOException {
        return start(List.of(), jvmOptions, arguments);
    }

    /**
     * Starts an instance inside a network namespace ({@code ip netns exec}, which execs, so the
     * process is the JVM itself). Its HTTP port is reachable only from inside the namespace:
     * ask its log ({@link #leadsByLog}, {@link #startedByLog}), not {@link #state}.
     */
    Instance startInNamespace(String namespace, String... arguments) throws IOException {
        return start(List.of("ip", "netns", "exec", namespace), List.of(), arguments);
    }

    private Instance start(List<String> launcher, List<String> jvmOptions, String... arguments) throws IOException {
        int port = freePort();
        Path log = workDirectory.resolve("instance-" + instances.size() + ".log");
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(javaBinary(), "-Xmx256m", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port, "--server.address=127.0.0.1"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Instance instance = new Instance(process, port, log);
        instances.add(instance);
        return instance;
    }

    List<Instance> all() {
        return instances;
    }

    /** The election state an instance reports on /actuator/leader, empty while it is not up. */
    Optional<String> state(Instance instance, String election) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + "/actuator/leader"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            Map<String, Object> body = JsonParserFactory.getJsonParser().parseMap(response.body());
            @SuppressWarnings("unchecked")
            Map<String, Object> elections = (Map<String, Object>) body.get("elections");
            @SuppressWarnings("unchecked")
            Map<String, Object> one = (Map<String, Object>) elections.get(election);
            return one == null ? Optional.empty() : Optional.of((String) one.get("state"));
        }
        catch (IOException ex) {
            return Optional.empty();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    List<Instance> leaders(String election) {
        return instances.stream().filter(i -> i.process().isAlive())
                .filter(i -> state(i, election).filter("LEADER"::equals).isPresent()).toList();
    }

    long followers(String election) {
        return instances.stream().filter(i -> i.process().isAlive())
                .filter(i -> state(i, election).filter("FOLLOWER"::equals).isPresent()).count();
    }

    boolean allUp(String election) {
        return instances.stream().filter(i -> i.process().isAlive()).allMatch(i -> state(i, election).isPresent());
    }

    List<Grant> grants() throws IOException {
        List<Grant> grants = new ArrayList<>();
        for (Instance instance : instances) {
            Matcher m = GRANTED.matcher(Files.readString(instance.log()));
            while (m.find()) {
                grants.add(new Grant(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
            }
        }
        grants.sort((a, b) -> Long.compare(a.atNanos(), b.atNanos()));
        return grants;
    }

    /** The instance's grants in the order it logged them. */
    List<Grant> grants(Instance instance) throws IOException {
        List<Grant> grants = new ArrayList<>();
        Matcher m = GRANTED.matcher(Files.readString(instance.log()));
        while (m.find()) {
            grants.add(new Grant(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
        }
        return grants;
    }

    /** Leading as far as its log says: alive, and it logged more grants than revokes. */
    boolean leadsByLog(Instance instance) throws IOException {
        if (!instance.process().isAlive()) {
            return false;
        }
        String log = Files.readString(instance.log());
        return GRANTED.matcher(log).results().count() > REVOKED.matcher(log).results().count();
    }

    /** The context is refreshed, so its elections campaign (they start in a lifecycle bean). */
    boolean startedByLog(Instance instance) throws IOException {
        return instance.process().isAlive() && Files.readString(instance.log()).contains("Started SampleApplication");
    }

    /** Whether the instance's log contains {@code text}. */
    boolean logged(Instance instance, String text) throws IOException {
        return Files.readString(instance.log()).contains(text);
    }

    List<JobRun> jobRuns() throws IOException {
        return runs("job");
    }

    /**
     * The committed runs of one kind of leader-only work, of every instance, by start: {@code job}
     * (the scheduled job), {@code async} (the asynchronous export), {@code poller} (the leader-only lifecycle).
     */
    List<JobRun> runs(String kind) throws IOException {
        Pattern pattern = Pattern.compile(Pattern.quote(kind) + " ran candidate=(\\S+) token=(\\d+) start=(\\d+) end=(\\d+)");
        List<JobRun> runs = new ArrayList<>();
        for (Instance instance : instances) {
            Matcher m = pattern.matcher(Files.readString(instance.log()));
            while (m.find()) {
                runs.add(new JobRun(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), Long.parseLong(m.group(4))));
            }
        }
        runs.sort((a, b) -> Long.compare(a.startNanos(), b.startNanos()));
        return runs;
    }

    /** How many calls of the asynchronous work the instance began. */
    long asyncStarts(Instance instance) throws IOException {
        return ASYNC_STARTED.matcher(Files.readString(instance.log())).results().count();
    }

    /** The instance's runs of one kind of work that found their term gone when they finished. */
    List<String> abandoned(Instance instance, String kind) throws IOException {
        return Pattern.compile(Pattern.quote(kind) + " abandoned .*").matcher(Files.readString(instance.log())).results()
                .map(m -> m.group()).toList();
    }

    /** The starts of the asynchronous work the instance began and has not logged finished (ran or abandoned). */
    List<Long> unfinishedAsyncWork(Instance instance) throws IOException {
        String log = Files.readString(instance.log());
        List<Long> started = new ArrayList<>(ASYNC_STARTED.matcher(log).results().map(m -> Long.parseLong(m.group(1))).toList());
        ASYNC_FINISHED.matcher(log).results().forEach(m -> started.remove(Long.valueOf(m.group(1))));
        return started;
    }

    /** {@code DELETE /actuator/leader/{election}}: the instance yields; returns once it has released. */
    String yieldLeadership(Instance instance, String election) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + "/actuator/leader/"
                + election)).DELETE().timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("yield answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    @Override
    public void close() {
        for (Instance instance : instances) {
            instance.process().destroyForcibly();
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
