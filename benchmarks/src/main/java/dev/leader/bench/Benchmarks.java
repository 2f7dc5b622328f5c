package dev.leader.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import dev.leader.autoconfigure.BackendType;
import dev.leader.bench.guard.LeaderOnlyBenchmark;
import dev.leader.bench.shedlock.ShedLockBenchmark;

/**
 * Runs every measurement and writes the results as Markdown. {@code run.sh} calls it with the
 * full settings; the smoke test with {@link Settings#smoke()}.
 *
 * <p>Arguments (all optional): {@code --out PATH --warmup-rounds N --rounds N --crash-rounds N --candidates N
 * --lease-ms N --startup-runs N --rest-seconds N --rest-followers N --backends a,b
 * --jmh-forks N --herd N --herd-per-jvm N --herd-backends a,b --quick --no-guard}; {@code --no-guard} skips the
 * JMH guard benchmarks and {@code --startup-runs 0} the start-up cost, for a run of some backends only.
 */
public final class Benchmarks {

    /** What one run measures, and how much. */
    record Settings(Path out, int warmupRounds, int rounds, int crashRounds, int candidates, Duration lease, int startupRuns, Duration rest,
            int restFollowers, List<String> backends, boolean quickJmh, int jmhForks, int herdCandidates, int herdPerJvm,
            List<String> herdBackends, boolean guard) {

        /** The backends on a ZooKeeper server (ours and its anchors), the only ones the herd applies to. */
        static final String HERD_BACKENDS = String.join(",", BenchBackends.all().values().stream()
                .filter(backend -> backend.backend() == BackendType.ZOOKEEPER).map(BenchBackend::type).toList());

        static Settings smoke(Path out) {
            return new Settings(out, 1, 1, 1, 2, Duration.ofSeconds(2), 1, Duration.ofMillis(500), 2, List.copyOf(BenchBackends.all().keySet()), true, 0,
                    10, 9, List.of(BackendType.ZOOKEEPER.id(), CuratorAnchor.TYPE), true);
        }

        /** The herd's quiet period before the kill (its ping-rate sample), never longer than a rest window. */
        Duration herdQuiet() {
            return rest.compareTo(Herd.QUIET) < 0 ? rest : Herd.QUIET;
        }

        boolean herd(String backend) {
            return herdCandidates > 1 && herdBackends.contains(backend);
        }

        static Settings parse(String[] args) {
            Map<String, String> options = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--quick") || args[i].equals("--no-guard")) {
                    options.put(args[i].substring(2), "true");
                }
                else if (args[i].startsWith("--") && i + 1 < args.length) {
                    options.put(args[i].substring(2), args[++i]);
                }
                else {
                    throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            String backends = options.getOrDefault("backends", String.join(",", BenchBackends.all().keySet()));
            return new Settings(Path.of(options.getOrDefault("out", "RESULTS.md")),
                    Integer.parseInt(options.getOrDefault("warmup-rounds", "0")),
                    Integer.parseInt(options.getOrDefault("rounds", "50")),
                    Integer.parseInt(options.getOrDefault("crash-rounds", "20")),
                    Integer.parseInt(options.getOrDefault("candidates", "3")),
                    Duration.ofMillis(Long.parseLong(options.getOrDefault("lease-ms", "2000"))),
                    Integer.parseInt(options.getOrDefault("startup-runs", "5")),
                    Duration.ofSeconds(Long.parseLong(options.getOrDefault("rest-seconds", "60"))),
                    Integer.parseInt(options.getOrDefault("rest-followers", "10")),
                    List.of(backends.split(",")), options.containsKey("quick"),
                    Integer.parseInt(options.getOrDefault("jmh-forks", "2")),
                    Integer.parseInt(options.getOrDefault("herd", "200")),
                    Integer.parseInt(options.getOrDefault("herd-per-jvm", "50")),
                    List.of(options.getOrDefault("herd-backends", HERD_BACKENDS).split(",")), !options.containsKey("no-guard"));
        }
    }

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.parse(args);
        run(settings);
        System.out.println("wrote " + settings.out().toAbsolutePath());
        System.exit(0);
    }

    static Report run(Settings settings) throws IOException, InterruptedException, RunnerException {
        Path work = Files.createTempDirectory("leader-bench");
        JvmClasspath classpath = JvmClasspath.current();
        Report report = new Report(settings, Machine.describe(), Instant.now());
        if (settings.guard()) {
            long phase = System.nanoTime();
            report.guard(guardOverhead(settings));
            progress("guard overhead (JMH)", phase);
        }
        try {
            measureBackends(settings, report, work, classpath);
        }
        finally {
            PostgresDatabases.stop();
        }
        if (settings.startupRuns() > 0) {
            long phase = System.nanoTime();
            report.startup(StartupCost.run(classpath, Files.createDirectories(work.resolve("startup-tmp")), settings.startupRuns()));
            progress("start-up cost", phase);
        }
        report.finish(Machine.loadAverage());
        Files.writeString(settings.out(), report.markdown());
        return report;
    }

    private static void measureBackends(Settings settings, Report report, Path work, JvmClasspath classpath)
            throws IOException, InterruptedException {
        long phase = System.nanoTime();
        for (String type : settings.backends()) {
            BenchBackend backend = BenchBackends.byType(type);
            Path logs = Files.createDirectories(work.resolve("logs-" + type));
            try (BenchBackend.BenchServer server = backend.start(work.resolve(type))) {
                Handoff.Result result = new Handoff(backend, server.address(), classpath, settings.lease(), logs)
                        .run(settings.candidates(), settings.warmupRounds(), settings.rounds(), settings.crashRounds());
                report.handoff(backend, server.description(), result);
                if (server.requestsServed() >= 0 && settings.rest().toMillis() > 0) {
                    report.rest(backend.type(), new Handoff(backend, server.address(), classpath, settings.lease(), logs)
                            .atRest(server, settings.restFollowers(), settings.rest()));
                }
                if (settings.herd(type) && server.zooKeeper().isPresent()) {
                    report.herd(type, new Herd(backend, server.zooKeeper().get(), classpath, settings.lease(), settings.herdQuiet(), logs)
                            .run(settings.herdCandidates(), settings.herdPerJvm()));
                }
            }
            deleteServerData(work.resolve(type));
            phase = progress(type, phase);
        }
    }

    /**
     * Deletes what a server left in its directory but its log: etcd alone preallocates 62 MB of
     * write-ahead log, and every build's smoke test would leave that in the temp directory.
     */
    static void deleteServerData(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(directory)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path path : paths) {
            boolean emptyDirectory = Files.isDirectory(path) && !path.equals(directory) && isEmpty(path);
            if (emptyDirectory || (Files.isRegularFile(path) && !path.getFileName().toString().endsWith(".log"))) {
                Files.delete(path);
            }
        }
    }

    private static boolean isEmpty(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        }
    }

    /** Says on the console how long a part took, so that a slow part of a run shows; returns now. */
    private static long progress(String part, long since) {
        long now = System.nanoTime();
        System.out.printf("bench: %s done in %.1f s%n", part, (now - since) / 1e9);
        return now;
    }

    static List<Report.GuardScore> guardOverhead(Settings settings) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder().include(LeaderOnlyBenchmark.class.getName())
                .include(ShedLockBenchmark.class.getName())
                .shouldFailOnError(true).addProfiler(GCProfiler.class);
        if (settings.quickJmh()) {
            options.forks(0).warmupIterations(0).measurementIterations(1).measurementTime(TimeValue.milliseconds(200));
        }
        else {
            options.forks(settings.jmhForks()).warmupIterations(5).warmupTime(TimeValue.seconds(1)).measurementIterations(5)
                    .measurementTime(TimeValue.seconds(1)).jvmArgs("-Xmx256m");
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        List<Report.GuardScore> scores = new ArrayList<>();
        for (RunResult result : results) {
            String benchmark = result.getParams().getBenchmark();
            Result<?> allocation = result.getSecondaryResults().get("gc.alloc.rate.norm");
            scores.add(new Report.GuardScore(benchmark.substring(benchmark.lastIndexOf('.') + 1),
                    result.getParams().getParam("role"), result.getPrimaryResult().getScore(),
                    result.getPrimaryResult().getScoreError(), allocation == null ? Double.NaN : allocation.getScore()));
        }
        return scores;
    }
}
