package dev.leader.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scale benchmark (issue 20): three application JVMs open N elections each on one server;
 * for each backend and N, the time until every election has one leader, the threads, live heap
 * and sockets that added per JVM, the server's requests per second at rest, and the leaders per
 * JVM with and without leadership spreading. Anchors run on the server of the backend they are
 * compared with, right after it, in the same run. A size that does not settle within the bound
 * ends that backend's run: the larger ones are not tried.
 *
 * <p>Arguments (all optional): {@code --backends zookeeper,redis,etcd,jdbc,local --anchors
 * curator-leaderlatch --sizes 100,1000,10000 --lease-ms 2000 --rest-seconds 10 --settle-seconds 300
 * --spread-seconds 60 --no-spread --out PATH} (the Markdown table, also printed).
 */
public final class Scale {

    /** What one run measures. */
    record Settings(List<String> backends, List<String> anchors, List<Integer> sizes, Duration lease, Duration rest,
            Duration settleBound, Duration spreadBound, boolean spread, Path out) {

        static Settings parse(String[] args) {
            Map<String, String> options = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--no-spread")) {
                    options.put("no-spread", "true");
                }
                else if (args[i].startsWith("--") && i + 1 < args.length) {
                    options.put(args[i].substring(2), args[++i]);
                }
                else {
                    throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            return new Settings(List.of(options.getOrDefault("backends", "zookeeper,redis,etcd,jdbc,local").split(",")),
                    List.of(options.getOrDefault("anchors", CuratorAnchor.TYPE).split(",")),
                    Arrays.stream(options.getOrDefault("sizes", "100,1000,10000").split(",")).map(Integer::valueOf).toList(),
                    Duration.ofMillis(Long.parseLong(options.getOrDefault("lease-ms", "2000"))),
                    Duration.ofSeconds(Long.parseLong(options.getOrDefault("rest-seconds", "10"))),
                    Duration.ofSeconds(Long.parseLong(options.getOrDefault("settle-seconds", "300"))),
                    Duration.ofSeconds(Long.parseLong(options.getOrDefault("spread-seconds", "60"))),
                    !options.containsKey("no-spread"), Path.of(options.getOrDefault("out", "scale.md")));
        }
    }

    private Scale() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.parse(args);
        List<ScaleRun.Result> results = run(settings);
        String table = ScaleTable.markdown(results);
        Files.writeString(settings.out(), table);
        System.out.print(table);
        System.out.println("wrote " + settings.out().toAbsolutePath());
        System.exit(0);
    }

    static List<ScaleRun.Result> run(Settings settings) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("leader-scale");
        JvmClasspath classpath = JvmClasspath.current();
        List<ScaleRun.Result> results = new ArrayList<>();
        try {
            for (String type : settings.backends()) {
                measure(BenchBackends.byType(type), settings, work, classpath, results);
            }
        }
        finally {
            PostgresDatabases.stop();
        }
        return results;
    }

    /** Every size for one backend and the anchors compared with it, on one server. */
    private static void measure(BenchBackend backend, Settings settings, Path work, JvmClasspath classpath,
            List<ScaleRun.Result> results) throws IOException, InterruptedException {
        List<String> types = new ArrayList<>(List.of(backend.type()));
        settings.anchors().stream().filter(anchor -> !anchor.isBlank() && BenchBackends.byType(anchor).backend() == backend.backend())
                .forEach(types::add);
        Path logs = Files.createDirectories(work.resolve("logs-" + backend.type()));
        List<String> stopped = new ArrayList<>();
        try (BenchBackend.BenchServer server = backend.start(work.resolve(backend.type()))) {
            for (int size : settings.sizes()) {
                for (String type : types) {
                    if (stopped.contains(type)) {
                        continue;
                    }
                    ScaleRun run = new ScaleRun(type, server, classpath, settings, logs);
                    ScaleRun.Result result = report(run.run(size, false, type + "-" + size));
                    results.add(result);
                    if (settings.spread() && BenchBackends.byType(type) instanceof OurBench && result.settled()) {
                        results.add(report(run.run(size, true, type + "-" + size + "-spread")));
                    }
                    if (!result.settled()) {
                        stopped.add(type);
                    }
                }
            }
        }
        Benchmarks.deleteServerData(work.resolve(backend.type()));
    }

    private static ScaleRun.Result report(ScaleRun.Result result) {
        System.out.printf("scale: %s N=%d%s: settled %s, leaders %s%s%n", result.type(), result.elections(),
                result.spread() ? " spreading" : "", ScaleTable.millis(result.settledNanos()), result.leaders().shares(),
                result.note().isEmpty() ? "" : " (" + result.note() + ")");
        return result;
    }
}
