package dev.leader.fault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import dev.leader.autoconfigure.BackendType;

/**
 * The soak: {@code scripts/soak.sh [--duration 20m] [--seed N] [--backends redis,etcd] [--parallel 1]
 * [--lease-ms 2000] [--out file.md]}; {@code --backends} takes {@link BackendType} ids and defaults to
 * every backend. Prints the seed first and the table last; exits 1 when any run broke a property.
 */
public final class FaultSuite {

    private FaultSuite() {
    }

    public static void main(String[] args) throws Exception {
        Duration duration = Duration.ofMinutes(20);
        long seed = System.nanoTime();
        List<BackendType> backends = List.of(BackendType.values());
        int parallel = 1;
        Duration lease = Duration.ofSeconds(2);
        Path out = null;
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--duration" -> duration = parseDuration(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--backends" -> backends = Arrays.stream(value.split(",")).map(FaultSuite::backend).toList();
                case "--parallel" -> parallel = Integer.parseInt(value);
                case "--lease-ms" -> lease = Duration.ofMillis(Long.parseLong(value));
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --duration 20m --seed N --backends a,b (of " + BackendType.allowedValues()
                        + ") --parallel 1 --lease-ms 2000 --out file.md");
            }
        }
        System.out.println("fault suite: seed " + seed + ", " + duration.toMinutes() + " min per backend, backends "
                + backends.stream().map(BackendType::id).toList());
        Path work = Files.createTempDirectory("fault-suite-");
        // A copy: a build during the soak rewrites the jar, and apps restarted later would load a mix of both.
        Path jar = Files.copy(Path.of(System.getProperty("fault.app.jar", "fault-tests/app/target/fault-app.jar")),
                work.resolve("fault-app.jar"));
        List<FaultRun.Result> results = run(backends, duration, seed, lease, parallel, jar, work);
        String table = ResultTable.render(results);
        System.out.println();
        System.out.println(table);
        String violations = ResultTable.violations(results);
        System.out.println(violations.isEmpty() ? "no violations" : "violations:\n" + violations);
        System.out.println("reports and logs: " + work);
        if (out != null) {
            Files.writeString(out, "Fault suite, seed " + seed + ", lease " + lease.toMillis() + " ms, " + duration.toMinutes()
                    + " min per backend (" + Machine.describe() + ")\n\n" + table + "\n" + (violations.isEmpty() ? "No violations.\n" : violations));
        }
        System.exit(results.stream().allMatch(FaultRun.Result::passed) ? 0 : 1);
    }

    /** Runs each backend (several at once with {@code parallel} > 1), each with a seed derived from the one given. */
    static List<FaultRun.Result> run(List<BackendType> backends, Duration duration, long seed, Duration lease, int parallel,
            Path jar, Path work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<FaultRun.Result>> futures = new ArrayList<>();
            for (BackendType backend : backends) {
                // BackendType's order is that of the suite's former list: the seeds of earlier soaks replay the same plans.
                long backendSeed = seed + backend.ordinal();
                futures.add(pool.submit(() -> new FaultRun(backend, jar, work.resolve(backend.id()), lease, 3, backendSeed).run(duration)));
            }
            List<FaultRun.Result> results = new ArrayList<>();
            for (Future<FaultRun.Result> future : futures) {
                results.add(future.get());
            }
            return results;
        }
        finally {
            pool.shutdownNow();
        }
    }

    private static BackendType backend(String id) {
        return BackendType.fromId(id).orElseThrow(
                () -> new IllegalArgumentException("unknown backend " + id + "; --backends takes " + BackendType.allowedValues()));
    }

    private static Duration parseDuration(String value) {
        char unit = value.charAt(value.length() - 1);
        long amount = Long.parseLong(value.substring(0, value.length() - 1));
        return switch (unit) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> throw new IllegalArgumentException("--duration takes 90s, 20m or 1h, not " + value);
        };
    }
}
