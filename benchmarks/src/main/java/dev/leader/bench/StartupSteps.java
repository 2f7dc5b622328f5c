package dev.leader.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import dev.leader.bench.startup.MinimalApplication;

/**
 * Where the starter's start-up cost goes: {@link MinimalApplication} started with Actuator alone
 * and with the starter too (the two class paths of {@link StartupCost}, taking turns), each
 * charging its main thread's CPU time to the start-up step that spent it. Prints, as a Markdown
 * table, the median main-thread CPU of each side and, for the steps whose medians differ most,
 * each side's median and the difference. Main-thread CPU is what the starter adds on the path to
 * {@code run} returning; what it adds on other threads (the JIT, our own threads) shows in wall
 * clock only, which {@code StartupCost} measures.
 *
 * <p>Arguments (optional): {@code --runs 15 --top 25}. Run from {@code benchmarks/target}:
 * {@code java -cp "classes:$(cat runtime-classpath.txt)" dev.leader.bench.StartupSteps --runs 15}.
 */
public final class StartupSteps {

    private static final StartupCost.Side[] SIDES = { StartupCost.Side.ACTUATOR, StartupCost.Side.STARTER };

    /** One start-up: the main thread's CPU time and each step's share of it, in nanoseconds. */
    record Sample(long cpuNanos, Map<String, Long> stepNanos) {
    }

    private StartupSteps() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = CommandLine.options(args);
        int runs = Integer.parseInt(options.getOrDefault("runs", "15"));
        int top = Integer.parseInt(options.getOrDefault("top", "25"));
        JvmClasspath classpath = JvmClasspath.current();
        Path temporaryDirectory = Files.createTempDirectory("leader-startup-steps");
        List<String> jvmOptions = new ArrayList<>(StartupCost.JVM_OPTIONS);
        jvmOptions.add("-Djava.io.tmpdir=" + temporaryDirectory);
        jvmOptions.add("-Dstartup.steps=true");
        Map<StartupCost.Side, List<Sample>> samples = new EnumMap<>(StartupCost.Side.class);
        for (int i = 0; i < runs; i++) {
            for (int k = 0; k < SIDES.length; k++) {
                StartupCost.Side side = SIDES[(i + k) % SIDES.length];
                samples.computeIfAbsent(side, s -> new ArrayList<>())
                        .add(start(StartupCost.classpath(classpath, side), jvmOptions));
            }
        }
        System.out.print(markdown(samples, top));
        System.exit(0);
    }

    static String markdown(Map<StartupCost.Side, List<Sample>> samples, int top) {
        List<Sample> without = samples.get(StartupCost.Side.ACTUATOR);
        List<Sample> with = samples.get(StartupCost.Side.STARTER);
        StringBuilder md = new StringBuilder();
        double cpuWithout = median(without.stream().map(Sample::cpuNanos).toList());
        double cpuWith = median(with.stream().map(Sample::cpuNanos).toList());
        md.append(String.format(Locale.ROOT, "Main-thread CPU until `run` returns, median of %d start-ups per side: "
                + "Actuator alone %.1f ms, with the starter %.1f ms, **%+.1f ms**.%n%n", without.size(), cpuWithout / 1e6,
                cpuWith / 1e6, (cpuWith - cpuWithout) / 1e6));
        TreeSet<String> steps = new TreeSet<>();
        samples.values().forEach(list -> list.forEach(sample -> steps.addAll(sample.stepNanos().keySet())));
        Map<String, double[]> medians = new HashMap<>();
        for (String step : steps) {
            medians.put(step, new double[] { median(without.stream().map(s -> s.stepNanos().getOrDefault(step, 0L)).toList()),
                    median(with.stream().map(s -> s.stepNanos().getOrDefault(step, 0L)).toList()) });
        }
        md.append("| start-up step (and the bean or class it names) | Actuator alone (ms) | with the starter (ms) | added (ms) |\n");
        md.append("|---|---|---|---|\n");
        steps.stream().sorted(Comparator.comparingDouble((String step) -> -Math.abs(medians.get(step)[1] - medians.get(step)[0])))
                .limit(top).forEach(step -> {
                    double[] m = medians.get(step);
                    md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %+.2f |%n", step, m[0] / 1e6, m[1] / 1e6,
                            (m[1] - m[0]) / 1e6));
                });
        return md.toString();
    }

    private static double median(List<Long> values) {
        return Stats.of(values).p50();
    }

    private static Sample start(JvmClasspath classpath, List<String> jvmOptions) throws IOException, InterruptedException {
        return StartupCost.startMinimal(classpath, jvmOptions, lines -> {
            long cpu = -1;
            Map<String, Long> steps = new HashMap<>();
            for (String line : lines) {
                if (line.startsWith("@@ CPU ")) {
                    cpu = Long.parseLong(line.substring("@@ CPU ".length()));
                }
                else if (line.startsWith("@@ STEP ")) {
                    String[] words = line.split(" ", 4);
                    steps.put(words[3], Long.parseLong(words[2]));
                }
            }
            return cpu < 0 ? null : new Sample(cpu, steps);
        });
    }
}
