package dev.leader.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

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
 * <p>Arguments (optional): {@code --runs 15 --top 25}, and {@code --before-jar PATH}: a third
 * side, the starter with that autoconfigure jar in place of the current one (a build of an
 * earlier commit), taking turns with the other two, so that a change is measured against what
 * it changed in the same minutes. Run from {@code benchmarks/target}:
 * {@code java -cp "classes:$(cat runtime-classpath.txt)" dev.leader.bench.StartupSteps --runs 15}.
 */
public final class StartupSteps {

    private static final String AUTOCONFIGURE = "leader-spring-boot-autoconfigure";

    /**
     * One start-up: the main thread's CPU time and each step's share of it, in nanoseconds, and
     * the wall clock from JVM start to {@code run} returning.
     */
    record Sample(long cpuNanos, Map<String, Long> stepNanos, long wallMillis) {
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
        Map<String, JvmClasspath> sides = new LinkedHashMap<>();
        sides.put("Actuator alone", StartupCost.classpath(classpath, StartupCost.Side.ACTUATOR));
        JvmClasspath starter = StartupCost.classpath(classpath, StartupCost.Side.STARTER);
        String before = options.get("before-jar");
        if (before != null) {
            sides.put("the starter, " + Path.of(before).getFileName(), new JvmClasspath(starter.entries().stream()
                    .map(e -> AUTOCONFIGURE.equals(StartupCost.artifactId(e)) ? before : e).toList()));
        }
        sides.put("with the starter", starter);
        List<String> labels = List.copyOf(sides.keySet());
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        labels.forEach(label -> samples.put(label, new ArrayList<>()));
        for (int i = 0; i < runs; i++) {
            for (int k = 0; k < labels.size(); k++) {
                String label = labels.get((i + k) % labels.size());
                samples.get(label).add(start(sides.get(label), jvmOptions));
            }
        }
        System.out.print(markdown(samples, top));
        System.exit(0);
    }

    /** @param samples each side's start-ups, the first side the baseline the others are compared with */
    static String markdown(Map<String, List<Sample>> samples, int top) {
        List<String> labels = List.copyOf(samples.keySet());
        StringBuilder md = new StringBuilder("Main-thread CPU until `run` returns, median of "
                + samples.get(labels.get(0)).size() + " start-ups per side:");
        appendSides(md, samples, Sample::cpuNanos, 1e6, "%.1f");
        md.append(".\nWall clock to `run` returning, the same start-ups:");
        appendSides(md, samples, Sample::wallMillis, 1, "%.0f");
        md.append(".\n\n");
        TreeSet<String> steps = new TreeSet<>();
        samples.values().forEach(list -> list.forEach(sample -> steps.addAll(sample.stepNanos().keySet())));
        Map<String, double[]> medians = new HashMap<>();
        for (String step : steps) {
            medians.put(step, medians(samples, sample -> sample.stepNanos().getOrDefault(step, 0L)));
        }
        md.append("| start-up step (and the bean or class it names) |");
        labels.forEach(label -> md.append(' ').append(label).append(" (ms) |"));
        labels.subList(1, labels.size()).forEach(label -> md.append(" added, ").append(label).append(" (ms) |"));
        md.append("\n|---|").append("---|".repeat(2 * labels.size() - 1)).append('\n');
        steps.stream().sorted(Comparator.comparingDouble((String step) -> -largestDifference(medians.get(step))))
                .limit(top).forEach(step -> {
                    double[] m = medians.get(step);
                    md.append("| ").append(step).append(" |");
                    for (double median : m) {
                        md.append(String.format(Locale.ROOT, " %.2f |", median / 1e6));
                    }
                    for (int i = 1; i < m.length; i++) {
                        md.append(String.format(Locale.ROOT, " %+.2f |", (m[i] - m[0]) / 1e6));
                    }
                    md.append('\n');
                });
        return md.toString();
    }

    /**
     * Appends each side's median of {@code value} in ms ({@code perMilli} units to the ms,
     * {@code number} its format), and for each side after the first its difference from the first.
     */
    private static void appendSides(StringBuilder md, Map<String, List<Sample>> samples, ToLongFunction<Sample> value,
            double perMilli, String number) {
        List<String> labels = List.copyOf(samples.keySet());
        double[] medians = medians(samples, value);
        for (int i = 0; i < labels.size(); i++) {
            double millis = medians[i] / perMilli;
            double added = (medians[i] - medians[0]) / perMilli;
            md.append(String.format(Locale.ROOT, i == 0 ? " %s " + number + " ms"
                    : ", %s " + number + " ms (**%+" + number.substring(1) + " ms**)", labels.get(i), millis, added));
        }
    }

    /** Each side's median of {@code value}, in the order of the sides. */
    private static double[] medians(Map<String, List<Sample>> samples, ToLongFunction<Sample> value) {
        return samples.values().stream().mapToDouble(side -> median(side.stream().map(value::applyAsLong).toList())).toArray();
    }

    private static double largestDifference(double[] medians) {
        double largest = 0;
        for (int i = 1; i < medians.length; i++) {
            largest = Math.max(largest, Math.abs(medians[i] - medians[0]));
        }
        return largest;
    }

    private static double median(List<Long> values) {
        return Stats.of(values).p50();
    }

    private static Sample start(JvmClasspath classpath, List<String> jvmOptions) throws IOException, InterruptedException {
        return StartupCost.startMinimal(classpath, jvmOptions, lines -> {
            long cpu = -1;
            long wall = -1;
            Map<String, Long> steps = new HashMap<>();
            for (String line : lines) {
                if (line.startsWith("@@ STARTED ")) {
                    wall = Long.parseLong(line.split(" ")[2]);
                }
                else if (line.startsWith("@@ CPU ")) {
                    cpu = Long.parseLong(line.substring("@@ CPU ".length()));
                }
                else if (line.startsWith("@@ STEP ")) {
                    String[] words = line.split(" ", 4);
                    steps.put(words[3], Long.parseLong(words[2]));
                }
            }
            return cpu < 0 || wall < 0 ? null : new Sample(cpu, steps, wall);
        });
    }
}
