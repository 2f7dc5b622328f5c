package dev.leader.fault;

import java.nio.file.Files;
import java.nio.file.Path;

/** Server binaries from Debian packages, with the package to install when one is missing. */
final class Binaries {

    private Binaries() {
    }

    static String require(String path, String debianPackage) {
        if (!Files.isExecutable(Path.of(path))) {
            throw new IllegalStateException(path + " is missing: install the Debian package " + debianPackage
                    + " (./scripts/test.sh does)");
        }
        return path;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
