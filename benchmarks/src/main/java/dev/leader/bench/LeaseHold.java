package dev.leader.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A short lease under load (issue 21, item 3): for each backend, two candidate JVMs of one
 * election with the given lease, each allocating garbage at the given rate (GC pressure in the
 * application), while busy threads of this JVM keep the cores busy, for the given time; the
 * backends run side by side, so each also loads the others. Nobody releases and every server
 * stays up, so every {@code GRANTED} in the window is a healthy leader that lost its term by
 * mistake (the candidates' logs say why: {@code revoked: LEASE_EXPIRED}, or the late renewal's
 * WARN). The window opens once every backend has elected a leader and a minute has passed: the
 * boot of a dozen JVMs on a loaded machine is counted apart.
 *
 * <p>{@code --backends local,zookeeper,redis,etcd,lan,jdbc --lease-ms 1000 --minutes 30
 * --hog-threads 2 --garbage-mb-per-s 100 --out PATH}
 */
public final class LeaseHold {

    private LeaseHold() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = CommandLine.options(args);
        List<String> backends = List.of(options.getOrDefault("backends", "local,zookeeper,redis,etcd,lan,jdbc").split(","));
        Duration lease = Duration.ofMillis(Long.parseLong(options.getOrDefault("lease-ms", "1000")));
        Duration length = Duration.ofMinutes(Long.parseLong(options.getOrDefault("minutes", "30")));
        int hogs = Integer.parseInt(options.getOrDefault("hog-threads", "2"));
        long garbage = Long.parseLong(options.getOrDefault("garbage-mb-per-s", "100"));
        Path out = Path.of(options.getOrDefault("out", "lease-hold.md"));
        String markdown = run(backends, lease, length, hogs, garbage);
        Files.writeString(out, markdown);
        System.out.print(markdown);
        System.out.println("wrote " + out.toAbsolutePath());
        System.exit(0);
    }

    /** How long every backend may take to elect its first leader. */
    private static final Duration SETTLE_BOUND = Duration.ofMinutes(5);

    /** After that, the boot storm's end: terms granted before the window opens are counted apart. */
    private static final Duration SETTLE = Duration.ofMinutes(1);

    private record Held(String backend, String server, int grantedAtBoot, List<String> lostAt) {
    }

    static String run(List<String> backends, Duration lease, Duration length, int hogs, long garbageMbPerSecond)
            throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("leader-lease-hold");
        JvmClasspath classpath = JvmClasspath.current();
        List<String> jvmOptions = new ArrayList<>(CandidateProcess.JVM_OPTIONS);
        jvmOptions.add("-Dbench.garbage-mb-per-s=" + garbageMbPerSecond);
        List<AutoCloseable> closeables = new ArrayList<>();
        Map<String, BlockingQueue<CandidateProcess.Signal>> signals = new HashMap<>();
        Map<String, String> servers = new HashMap<>();
        String loadBefore = Machine.loadAverage();
        try {
            for (String type : backends) {
                BenchBackend backend = BenchBackends.byType(type);
                BenchBackend.BenchServer server = backend.start(work.resolve(type));
                closeables.add(server);
                servers.put(type, server.description());
                BlockingQueue<CandidateProcess.Signal> queue = new LinkedBlockingQueue<>();
                signals.put(type, queue);
                Path logs = Files.createDirectories(work.resolve("logs-" + type));
                for (String id : List.of("a", "b")) {
                    closeables.add(CandidateProcess.start(classpath, jvmOptions, type, server.address(), "lease-hold", id,
                            lease, 1, logs.resolve(type + "-" + id + ".log"), queue));
                }
            }
            List<Thread> hogThreads = startHogs(hogs);
            // Twelve JVMs booting on a loaded machine starve each other for a while: the window
            // opens once every backend has a leader and a settling minute has passed.
            Map<String, Integer> atBoot = new HashMap<>();
            for (String type : backends) {
                List<CandidateProcess.Signal> first = new ArrayList<>();
                long bound = System.nanoTime() + SETTLE_BOUND.toNanos();
                while (first.stream().noneMatch(s -> s.kind().equals("GRANTED")) && System.nanoTime() < bound) {
                    CandidateProcess.Signal signal = signals.get(type).poll(1, TimeUnit.SECONDS);
                    if (signal != null) {
                        first.add(signal);
                    }
                }
                signals.get(type).addAll(first);
            }
            TimeUnit.NANOSECONDS.sleep(SETTLE.toNanos());
            for (String type : backends) {
                List<CandidateProcess.Signal> boot = new ArrayList<>();
                signals.get(type).drainTo(boot);
                atBoot.put(type, (int) boot.stream().filter(s -> s.kind().equals("GRANTED")).count());
            }
            long start = System.nanoTime();
            System.out.printf("%d backends, lease %d ms, %d min, %d busy threads, %d MB/s of garbage per candidate; logs in %s%n",
                    backends.size(), lease.toMillis(), length.toMinutes(), hogs, garbageMbPerSecond, work);
            TimeUnit.NANOSECONDS.sleep(length.toNanos());
            hogThreads.forEach(Thread::interrupt);
            List<Held> held = new ArrayList<>();
            for (String type : backends) {
                List<CandidateProcess.Signal> lines = new ArrayList<>();
                signals.get(type).drainTo(lines);
                List<CandidateProcess.Signal> granted = lines.stream().filter(s -> s.kind().equals("GRANTED")).toList();
                List<String> lost = granted.stream()
                        .map(s -> String.format("%.0f s (%s)", (s.nanos() - start) / 1e9, s.from())).toList();
                if (lines.stream().anyMatch(s -> s.kind().equals("EXITED"))) {
                    lost = new ArrayList<>(lost);
                    lost.add("a candidate exited: see its log");
                }
                held.add(new Held(type, servers.get(type), atBoot.get(type), lost));
            }
            return markdown(held, lease, length, hogs, garbageMbPerSecond, loadBefore, Machine.loadAverage());
        }
        finally {
            for (int i = closeables.size() - 1; i >= 0; i--) {
                try {
                    closeables.get(i).close();
                }
                catch (Exception ex) {
                    System.err.println("closing " + closeables.get(i) + " failed: " + ex);
                }
            }
            PostgresDatabases.stop();
        }
    }

    /** Threads that spin until interrupted: the CPU hog. */
    private static List<Thread> startHogs(int count) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(() -> {
                long x = 0;
                while (!Thread.currentThread().isInterrupted()) {
                    x += System.nanoTime() % 7;
                }
                if (x == 42) {
                    System.out.print("");
                }
            }, "bench-hog-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        return threads;
    }

    private static String markdown(List<Held> held, Duration lease, Duration length, int hogs, long garbage, String loadBefore,
            String loadAfter) {
        StringBuilder md = new StringBuilder();
        md.append(String.format("Lease %d ms, %d min, %d busy threads, %d MB/s of garbage per candidate JVM (-Xmx128m, Serial GC); "
                + "load %s -> %s%n%n", lease.toMillis(), length.toMinutes(), hogs, garbage, loadBefore, loadAfter));
        md.append("| backend | server | terms granted while booting (first minute) | terms lost by mistake in the window (when, who was granted) |\n|---|---|---|---|\n");
        for (Held h : held) {
            md.append(String.format("| %s | %s | %d | %s |%n", h.backend(), h.server(), h.grantedAtBoot(),
                    h.lostAt().isEmpty() ? "none" : h.lostAt().size() + ": " + String.join(", ", h.lostAt())));
        }
        return md.toString();
    }
}
