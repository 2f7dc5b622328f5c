package dev.leader.bench;

import java.util.HashMap;
import java.util.Map;

/** The {@code --name value} arguments of the harness's single-purpose mains ({@link LeaseHold}, {@link HandoffBreakdown}). */
final class CommandLine {

    private CommandLine() {
    }

    /** Each {@code --name value} pair, by name without the dashes; a last name without a value is ignored. */
    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }
}
