package dev.leader.redis;

import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Netty and Lettuce log every byte at DEBUG, which the test JVMs have no logging configuration to
 * silence: this sets them to INFO. Registered for every test class of this module
 * ({@code junit-platform.properties} turns on extension auto-detection,
 * {@code META-INF/services} names this class); candidate JVMs call {@link #quiet()} themselves.
 */
public final class RedisClientLogs implements BeforeAllCallback {

    public static void quiet() {
        for (String name : List.of("io.lettuce", "io.netty", "reactor")) {
            if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
                logger.setLevel(ch.qos.logback.classic.Level.INFO);
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        quiet();
    }
}
