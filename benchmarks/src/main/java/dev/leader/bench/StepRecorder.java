package dev.leader.bench;

import java.io.PrintStream;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;

/**
 * The candidate JVMs' appender for the steps of hand-offs (logger {@code dev.leader.handoff},
 * see candidate-logback.xml): it keeps the events in memory and formats nothing, so that
 * recording a step costs the hand-off it times next to nothing (writing each line, even from an
 * asynchronous appender's thread, doubled a local hand-off on two cores); the candidate writes
 * them all to its log when it exits.
 */
public final class StepRecorder extends UnsynchronizedAppenderBase<ILoggingEvent> {

    private static final Queue<ILoggingEvent> EVENTS = new ConcurrentLinkedQueue<>();

    @Override
    protected void append(ILoggingEvent event) {
        EVENTS.add(event);
    }

    /** Writes the steps recorded so far, one line each, and forgets them. */
    static void writeTo(PrintStream out) {
        for (ILoggingEvent event = EVENTS.poll(); event != null; event = EVENTS.poll()) {
            out.println(event.getFormattedMessage());
        }
        out.flush();
    }
}
