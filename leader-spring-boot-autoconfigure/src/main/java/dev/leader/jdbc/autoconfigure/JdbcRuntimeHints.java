package dev.leader.jdbc.autoconfigure;

import dev.leader.jdbc.JdbcDialect;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/** The JDBC backend's schema scripts, which it reads as resources, for AOT runs and native images. */
public final class JdbcRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        for (JdbcDialect dialect : JdbcDialect.values()) {
            hints.resources().registerPattern(dialect.schemaResource());
        }
    }
}
