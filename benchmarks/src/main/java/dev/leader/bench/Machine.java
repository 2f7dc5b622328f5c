package dev.leader.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.SpringBootVersion;

/** Hardware and software facts for RESULTS.md, read from /proc and the JVM. */
record Machine(String cpu, int cores, String memory, String kernel, String jvm, String springBoot, String jmh) {

    static Machine describe() {
        String cpu = firstValue(Path.of("/proc/cpuinfo"), "model name");
        String memory = firstValue(Path.of("/proc/meminfo"), "MemTotal");
        String kernel = read(Path.of("/proc/sys/kernel/osrelease"));
        String jvm = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        Package jmh = org.openjdk.jmh.runner.Runner.class.getPackage();
        return new Machine(cpu, Runtime.getRuntime().availableProcessors(), memory, kernel, jvm,
                SpringBootVersion.getVersion(), jmh.getImplementationVersion() == null ? "1.37" : jmh.getImplementationVersion());
    }

    /** The 1, 5 and 15 minute load averages. */
    static String loadAverage() {
        String load = read(Path.of("/proc/loadavg"));
        String[] words = load.split(" ");
        return words.length >= 3 ? words[0] + " " + words[1] + " " + words[2] : load;
    }

    private static String firstValue(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        catch (IOException ex) {
            return "unknown (" + ex.getMessage() + ")";
        }
        return "unknown";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        }
        catch (IOException ex) {
            return "unknown (" + ex.getMessage() + ")";
        }
    }
}
