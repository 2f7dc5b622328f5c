package dev.leader.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.leader.bench.startup.MinimalApplication;

/**
 * Start-up time and live heap of {@link MinimalApplication}, with the starter and without it:
 * "without" is the same classpath minus the jars the starter brings beyond
 * {@code spring-boot-starter} (ours, Actuator, Micrometer, AspectJ).
 */
final class StartupCost {

    /** Jars the starter adds to a plain {@code spring-boot-starter} app. */
    static final Predicate<String> STARTER_JARS = entry -> {
        String name = Path.of(entry).getFileName().toString();
        return name.startsWith("leader-spring-boot") || name.startsWith("spring-boot-actuator")
                || name.startsWith("spring-boot-starter-actuator") || name.startsWith("spring-boot-health")
                || name.startsWith("spring-boot-micrometer") || name.startsWith("micrometer")
                || name.startsWith("HdrHistogram") || name.startsWith("LatencyUtils") || name.startsWith("aspectjweaver")
                || name.startsWith("spring-boot-starter-aspectj") || name.startsWith("spring-boot-starter-micrometer")
                || name.startsWith("spring-boot-aspectj");
    };

    static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC");

    record Sample(long millis, long heapBytes, int classes) {
    }

    record Result(List<Sample> with, List<Sample> without, List<String> removedJars) {
    }

    private StartupCost() {
    }

    static Result run(JvmClasspath classpath, Path lockDirectory, int runs) throws IOException, InterruptedException {
        JvmClasspath without = classpath.without(STARTER_JARS);
        List<Sample> withStarter = new ArrayList<>();
        List<Sample> withoutStarter = new ArrayList<>();
        // Alternate, so that a slower moment of a shared machine hits both sides alike.
        for (int i = 0; i < runs; i++) {
            withStarter.add(start(classpath, List.of("--leader.local.directory=" + lockDirectory, "--leader.election=startup")));
            withoutStarter.add(start(without, List.of()));
        }
        return new Result(withStarter, withoutStarter, classpath.removedBy(STARTER_JARS));
    }

    private static Sample start(JvmClasspath classpath, List<String> args) throws IOException, InterruptedException {
        List<String> command = classpath.java(JVM_OPTIONS, MinimalApplication.class.getName(), args);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Sample sample = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("@@ STARTED ")) {
                    String[] words = line.split(" ");
                    sample = new Sample(Long.parseLong(words[2]), Long.parseLong(words[3]), Integer.parseInt(words[4]));
                }
            }
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        if (sample == null) {
            throw new IllegalStateException("the minimal app did not start (exit " + process.exitValue() + "): " + command);
        }
        return sample;
    }
}
