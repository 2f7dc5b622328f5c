package dev.leader.bench;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %nanos} in a logback pattern: {@link System#nanoTime()} when the line is logged (the
 * appenders of the candidate JVMs are synchronous), comparable with the harness's stamps since
 * it is CLOCK_MONOTONIC on Linux.
 */
public final class NanoTimeConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return Long.toString(System.nanoTime());
    }
}
