package dev.leader.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The classpath child JVMs run on: the module's classes plus its runtime dependencies, as
 * written by the dependency plugin ({@code -Dbench.classpath.file}, {@code -Dbench.classes}).
 * Without those properties, this JVM's own classpath.
 */
record JvmClasspath(List<String> entries) {

    static JvmClasspath current() {
        String file = System.getProperty("bench.classpath.file");
        String classes = System.getProperty("bench.classes");
        if (file == null || classes == null) {
            return new JvmClasspath(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
        }
        try {
            List<String> entries = new ArrayList<>();
            entries.add(classes);
            entries.addAll(List.of(Files.readString(Path.of(file)).trim().split(File.pathSeparator)));
            return new JvmClasspath(List.copyOf(entries));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot read the benchmark classpath " + file + " (run mvn package -pl benchmarks)", ex);
        }
    }

    String value() {
        return String.join(File.pathSeparator, entries);
    }

    /** A java command line on this classpath. */
    List<String> java(List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(value());
        command.add(mainClass);
        command.addAll(args);
        return command;
    }
}
