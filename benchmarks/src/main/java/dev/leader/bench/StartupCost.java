package dev.leader.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.leader.bench.startup.MinimalApplication;

/**
 * Start-up time, live heap and classes loaded of {@link MinimalApplication} on three class
 * paths, each holding only what a user's build would put there: Boot's
 * {@code spring-boot-starter}; that and {@code spring-boot-starter-actuator}; that and
 * {@code leader-spring-boot-starter}, with no {@code leader.*} property set (the local backend in
 * its default directory). The last two
 * differ by our jars alone, so their difference is the starter's own cost; the first and the last
 * differ by the starter with the Actuator it brings.
 *
 * <p>The jars are taken from the module's runtime class path by artifact id. When a Boot upgrade
 * changes what the starters bring, {@code ./mvnw dependency:tree -pl leader-spring-boot-starter}
 * shows the new lists.
 */
final class StartupCost {

    static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC");

    /** The artifact id in a jar's file name: what precedes the version. */
    private static final Pattern ARTIFACT = Pattern.compile("(.+?)-\\d[^/]*\\.jar");

    /** A class path: the jars it adds to the one before it. */
    enum Side {

        /** {@code spring-boot-starter}: Boot, Spring Framework and logging. */
        BOOT("spring-boot-starter", List.of("spring-boot-starter", "spring-boot", "spring-boot-autoconfigure",
                "spring-boot-starter-logging", "logback-classic", "logback-core", "log4j-to-slf4j", "log4j-api",
                "jul-to-slf4j", "slf4j-api", "jakarta.annotation-api", "snakeyaml", "spring-core", "commons-logging",
                "jspecify", "spring-context", "spring-aop", "spring-beans", "spring-expression")),

        /** {@code spring-boot-starter-actuator}: Actuator, health and Micrometer. */
        ACTUATOR("+ spring-boot-starter-actuator", List.of("spring-boot-starter-actuator",
                "spring-boot-starter-micrometer-metrics", "spring-boot-micrometer-metrics",
                "spring-boot-micrometer-observation", "spring-boot-actuator-autoconfigure", "spring-boot-actuator",
                "spring-boot-health", "micrometer-observation", "micrometer-commons", "micrometer-jakarta9",
                "micrometer-core", "HdrHistogram")),

        /** {@code leader-spring-boot-starter}: ours alone, since it brings nothing else. */
        STARTER("+ leader-spring-boot-starter (local backend)", List.of("leader-spring-boot-starter",
                "leader-spring-boot-autoconfigure"));

        private final String label;

        private final List<String> adds;

        Side(String label, List<String> adds) {
            this.label = label;
            this.adds = adds;
        }

        String label() {
            return label;
        }

        /** The artifact ids on this class path: its own and those of every side before it. */
        List<String> artifacts() {
            List<String> artifacts = new ArrayList<>();
            for (Side side : values()) {
                if (side.ordinal() <= ordinal()) {
                    artifacts.addAll(side.adds);
                }
            }
            return artifacts;
        }
    }

    record Sample(long millis, long heapBytes, int classes) {
    }

    /**
     * @param samples each side's runs, in the order they ran
     * @param jars the file names of the jars each side adds to the one before it
     */
    record Result(Map<Side, List<Sample>> samples, Map<Side, List<String>> jars) {

        List<Sample> of(Side side) {
            return samples.get(side);
        }

        /**
         * The start-up times of {@code side} minus those of {@code baseline} in the same round:
         * both ran within seconds of each other, so a slow moment of the machine cancels out.
         */
        List<Long> roundDifferences(Side side, Side baseline) {
            List<Long> differences = new ArrayList<>();
            for (int i = 0; i < of(side).size(); i++) {
                differences.add(of(side).get(i).millis() - of(baseline).get(i).millis());
            }
            return differences;
        }
    }

    private StartupCost() {
    }

    static Result run(JvmClasspath classpath, Path temporaryDirectory, int runs) throws IOException, InterruptedException {
        Map<Side, JvmClasspath> classpaths = new EnumMap<>(Side.class);
        Map<Side, List<String>> jars = new EnumMap<>(Side.class);
        Map<Side, List<Sample>> samples = new EnumMap<>(Side.class);
        for (Side side : Side.values()) {
            classpaths.put(side, classpath(classpath, side));
            jars.put(side, classpath.entries().stream().filter(e -> side.adds.contains(artifactId(e)))
                    .map(e -> Path.of(e).getFileName().toString()).toList());
            samples.put(side, new ArrayList<>());
        }
        // No leader.* property, as for a user who only adds the starter: the local backend's
        // default lock directory lies under java.io.tmpdir, moved into the run's work directory,
        // the same on every side.
        List<String> jvmOptions = new ArrayList<>(JVM_OPTIONS);
        jvmOptions.add("-Djava.io.tmpdir=" + temporaryDirectory);
        Side[] sides = Side.values();
        // Round-robin, each round starting one side further on, so that a slower moment of a
        // shared machine, and whatever the JVM before leaves in the page cache, hit every side alike.
        for (int i = 0; i < runs; i++) {
            for (int k = 0; k < sides.length; k++) {
                Side side = sides[(i + k) % sides.length];
                samples.get(side).add(start(classpaths.get(side), jvmOptions));
            }
        }
        return new Result(samples, jars);
    }

    /** The benchmark's classes and the side's jars, each of which must be on the module's class path. */
    static JvmClasspath classpath(JvmClasspath classpath, Side side) {
        List<String> artifacts = side.artifacts();
        List<String> entries = classpath.entries().stream()
                .filter(e -> !e.endsWith(".jar") || artifacts.contains(artifactId(e))).toList();
        List<String> missing = artifacts.stream()
                .filter(a -> entries.stream().noneMatch(e -> a.equals(artifactId(e)))).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the benchmark class path has no " + missing + " for " + side
                    + "; compare StartupCost.Side with ./mvnw dependency:tree -pl leader-spring-boot-starter");
        }
        return new JvmClasspath(entries);
    }

    static String artifactId(String entry) {
        Matcher matcher = ARTIFACT.matcher(Path.of(entry).getFileName().toString());
        return matcher.matches() ? matcher.group(1) : entry;
    }

    private static Sample start(JvmClasspath classpath, List<String> jvmOptions) throws IOException, InterruptedException {
        return startMinimal(classpath, jvmOptions, lines -> {
            Sample sample = null;
            for (String line : lines) {
                if (line.startsWith("@@ STARTED ")) {
                    String[] words = line.split(" ");
                    sample = new Sample(Long.parseLong(words[2]), Long.parseLong(words[3]), Integer.parseInt(words[4]));
                }
            }
            return sample;
        });
    }

    /**
     * Starts {@link MinimalApplication} in a fresh JVM, waits for it to exit and reads what it
     * printed with {@code reading}, whose null means that the application did not start.
     */
    static <T> T startMinimal(JvmClasspath classpath, List<String> jvmOptions, Function<List<String>, @Nullable T> reading)
            throws IOException, InterruptedException {
        List<String> command = classpath.java(jvmOptions, MinimalApplication.class.getName(), List.of());
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            lines = out.lines().toList();
        }
        String exit;
        if (process.waitFor(60, TimeUnit.SECONDS)) {
            exit = "exit " + process.exitValue();
        }
        else {
            process.destroyForcibly().waitFor();
            exit = "killed after 60 s";
        }
        T read = reading.apply(lines);
        if (read == null) {
            throw new IllegalStateException("the minimal app did not start (" + exit + "): " + command);
        }
        return read;
    }
}
