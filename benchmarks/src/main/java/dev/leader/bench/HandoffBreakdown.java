package dev.leader.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where a graceful hand-off's time goes (issue 21, item 1): the hand-off rounds of
 * {@link Handoff}, with the library's own steps logged at TRACE by the candidate JVMs (logger
 * {@code dev.leader.handoff}, {@code "<election> step <what> at <System.nanoTime()>"}, kept in
 * memory by {@link StepRecorder} and written when the candidate exits; nothing else of the
 * library's below INFO), placed
 * between the harness's stamps: the old leader's release call, the steps of its {@code close()},
 * the successor's wake-up and each request it makes, its grant, the delivery to its listeners,
 * and the listener's {@code GRANTED} stamp. For each step the table gives the median, over the
 * rounds, of its time since the release call (and its 99th percentile). Taking a step's stamp and
 * keeping its logging event is in these figures, the writing is not.
 *
 * <p>{@code --backends local,zookeeper,redis,etcd,lan --rounds 50 --warmup-rounds 0 --candidates 3 --lease-ms 2000 --out PATH};
 * warm-up rounds run first and are left out of the table (see {@link Handoff})
 */
public final class HandoffBreakdown {

    /** A step line of a candidate's log: the step, then the nanoTime it was taken at. */
    private static final Pattern STEP = Pattern.compile("^.* step (.+) at (\\d+)$");

    /**
     * A line of {@code -Xlog:safepoint:stderr:tn}: when the pause ended (the {@code tn} decorator
     * is {@code System.nanoTime()}) and how long it stopped the JVM's threads.
     */
    private static final Pattern PAUSE = Pattern.compile("^\\[(\\d+)ns\\] Safepoint .*Total: (\\d+) ns$");

    private HandoffBreakdown() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = CommandLine.options(args);
        List<String> backends = List.of(options.getOrDefault("backends", "local,zookeeper,redis,etcd,lan").split(","));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "50"));
        int warmupRounds = Integer.parseInt(options.getOrDefault("warmup-rounds", "0"));
        int candidates = Integer.parseInt(options.getOrDefault("candidates", "3"));
        Duration lease = Duration.ofMillis(Long.parseLong(options.getOrDefault("lease-ms", "2000")));
        Path out = Path.of(options.getOrDefault("out", "handoff-breakdown.md"));
        StringBuilder md = new StringBuilder();
        md.append(String.format("%d candidate JVMs, %d graceful rounds after %d warm-up rounds, lease %d ms, TRACE of dev.leader.handoff on; %s%n%n",
                candidates, rounds, warmupRounds, lease.toMillis(), Machine.loadAverage()));
        for (String type : backends) {
            md.append(breakdown(BenchBackends.byType(type), warmupRounds, rounds, candidates, lease)).append('\n');
        }
        Files.writeString(out, md);
        System.out.print(md);
        System.out.println("wrote " + out.toAbsolutePath());
        System.exit(0);
    }

    static String breakdown(BenchBackend backend, int warmupRounds, int rounds, int candidates, Duration lease) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("leader-breakdown-" + backend.type());
        Path logs = Files.createDirectories(work.resolve("logs"));
        List<String> jvmOptions = new ArrayList<>(CandidateProcess.JVM_OPTIONS);
        jvmOptions.add("-Dbench.handoff.log=TRACE");
        jvmOptions.add("-Xlog:safepoint:stderr:tn");
        Handoff.Result result;
        String server;
        try (BenchBackend.BenchServer started = backend.start(work.resolve("server"))) {
            server = started.description();
            result = new Handoff(backend, started.address(), JvmClasspath.current(), lease, logs, jvmOptions).run(candidates, warmupRounds, rounds, 0);
        }
        finally {
            PostgresDatabases.stop();
        }
        Map<String, List<Stamp>> stamps = new HashMap<>();
        Map<String, List<Pause>> pauses = new HashMap<>();
        for (Handoff.Round round : result.graceful()) {
            for (String id : List.of(round.from(), round.to())) {
                if (stamps.containsKey(id)) {
                    continue;
                }
                List<String> log = lines(logs.resolve(backend.type() + "-" + id + ".log"));
                stamps.put(id, matching(log, STEP, matcher -> new Stamp(Long.parseLong(matcher.group(2)), matcher.group(1))));
                pauses.put(id, matching(log, PAUSE, matcher -> {
                    long end = Long.parseLong(matcher.group(1));
                    return new Pause(end - Long.parseLong(matcher.group(2)), end);
                }));
            }
        }
        // Per step (in the order first seen), its time since the release call in each round it appeared.
        Map<String, List<Long>> offsets = new LinkedHashMap<>();
        for (Handoff.Round round : result.graceful()) {
            collect(offsets, "old leader", stamps.get(round.from()), round);
            collect(offsets, "successor", stamps.get(round.to()), round);
            offsets.computeIfAbsent("successor: listener called (GRANTED stamp)", key -> new ArrayList<>())
                    .add(round.grantedNanos() - round.releasedNanos());
        }
        StringBuilder md = new StringBuilder();
        Stats handoff = Stats.of(result.gracefulNanos());
        md.append(String.format("**%s** (%s), %d rounds; hand-off p50 %s ms, p99 %s ms%n%n", backend.type(), server, handoff.count(),
                Stats.ms(handoff.p50()), Stats.ms(handoff.p99())));
        md.append("| step | rounds | since the release call, p50 ms | p99 ms |\n|---|---|---|---|\n");
        Map<String, Stats> steps = new LinkedHashMap<>();
        offsets.forEach((step, sample) -> steps.put(step, Stats.of(sample)));
        steps.entrySet().stream().sorted(Comparator.comparingDouble(step -> step.getValue().p50()))
                .forEach(step -> md.append(String.format("| %s | %d | %s | %s |%n", step.getKey(), step.getValue().count(),
                        Stats.ms(step.getValue().p50()), Stats.ms(step.getValue().p99()))));
        md.append('\n').append(pausesDuring(result.graceful(), pauses, handoff)).append('\n');
        return md.toString();
    }

    /**
     * How many rounds a safepoint pause (a collection, mostly) of the old leader's or the
     * successor's JVM overlapped, and the hand-off of the rounds with and without one: whether
     * the tail is the candidates' own stops.
     */
    private static String pausesDuring(List<Handoff.Round> rounds, Map<String, List<Pause>> pauses, Stats handoff) {
        List<Long> with = new ArrayList<>();
        List<Long> without = new ArrayList<>();
        int slow = 0;
        int slowWithPause = 0;
        for (Handoff.Round round : rounds) {
            boolean paused = Stream.of(round.from(), round.to()).flatMap(id -> pauses.get(id).stream())
                    .anyMatch(pause -> pause.end() > round.releasedNanos() && pause.start() < round.grantedNanos());
            long nanos = round.grantedNanos() - round.releasedNanos();
            (paused ? with : without).add(nanos);
            if (nanos > 3 * handoff.p50()) {
                slow++;
                slowWithPause += paused ? 1 : 0;
            }
        }
        return String.format("Safepoint pauses of the old leader's or the successor's JVM (`-Xlog:safepoint`) overlapped %d of %d rounds "
                + "(hand-off p50 %s ms); the rounds without one: p50 %s ms, p99 %s ms. Of the %d rounds above 3x the p50, %d overlapped a pause.%n",
                with.size(), rounds.size(), with.isEmpty() ? "-" : Stats.ms(Stats.of(with).p50()),
                without.isEmpty() ? "-" : Stats.ms(Stats.of(without).p50()), without.isEmpty() ? "-" : Stats.ms(Stats.of(without).p99()),
                slow, slowWithPause);
    }

    private record Stamp(long nanos, String step) {
    }

    /** A stop of all of a JVM's threads, between two nanoTimes of this host. */
    private record Pause(long start, long end) {
    }

    /** The first occurrence of each step of {@code role} within the round (release call to GRANTED stamp). */
    private static void collect(Map<String, List<Long>> offsets, String role, List<Stamp> stamps, Handoff.Round round) {
        Map<String, Long> first = new LinkedHashMap<>();
        for (Stamp stamp : stamps) {
            if (stamp.nanos() >= round.releasedNanos() && stamp.nanos() <= round.grantedNanos()) {
                first.putIfAbsent(stamp.step(), stamp.nanos() - round.releasedNanos());
            }
        }
        first.forEach((step, offset) -> offsets.computeIfAbsent(role + ": " + step, key -> new ArrayList<>()).add(offset));
    }

    private static List<String> lines(Path log) {
        try {
            return Files.readAllLines(log);
        }
        catch (IOException ex) {
            System.err.println("cannot read " + log + ": " + ex);
            return List.of();
        }
    }

    private static <T> List<T> matching(List<String> lines, Pattern line, Function<Matcher, T> parse) {
        List<T> found = new ArrayList<>();
        for (String text : lines) {
            Matcher matcher = line.matcher(text);
            if (matcher.matches()) {
                found.add(parse.apply(matcher));
            }
        }
        return found;
    }
}
