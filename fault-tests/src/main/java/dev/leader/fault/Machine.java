package dev.leader.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The hardware and software a run used, for the table's caption. */
final class Machine {

    private Machine() {
    }

    static String describe() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
        }
        catch (IOException ex) {
            // Not Linux: the caption just says less.
        }
        return Runtime.getRuntime().availableProcessors() + " cores, " + cpu + ", JDK " + System.getProperty("java.version");
    }
}
