package dev.leader.bench.startup;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.core.metrics.ApplicationStartup;
import org.springframework.core.metrics.StartupStep;

/**
 * An {@link ApplicationStartup} that charges the main thread's CPU time to the start-up step
 * that spent it, each step without the steps inside it, keyed by the step's name and the bean
 * or class it names. Wall-clock start-up on a shared 2-core machine varies by ±100-200 ms per
 * run; the main thread's CPU time per step varies far less, so it shows where a difference of a
 * few milliseconds goes. Steps of other threads are not counted.
 */
final class MainThreadCpu implements ApplicationStartup {

    private static final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    private final Thread main = Thread.currentThread();

    private final Deque<Step> open = new ArrayDeque<>();

    private final Map<String, Long> exclusiveNanos = new TreeMap<>();

    private long sequence;

    /** Each step's own CPU time, in nanoseconds, by step. */
    Map<String, Long> exclusiveNanos() {
        return exclusiveNanos;
    }

    @Override
    public StartupStep start(String name) {
        if (Thread.currentThread() != main) {
            return new Step(name, -1, null);
        }
        Step step = new Step(name, ++sequence, open.peek());
        open.push(step);
        return step;
    }

    private final class Step implements StartupStep {

        private final String name;

        private final long id;

        private final @Nullable Step parent;

        private final long startNanos = threads.getCurrentThreadCpuTime();

        private long childrenNanos;

        private String subject = "";

        Step(String name, long id, @Nullable Step parent) {
            this.name = name;
            this.id = id;
            this.parent = parent;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public long getId() {
            return id;
        }

        @Override
        public @Nullable Long getParentId() {
            return parent == null ? null : parent.id;
        }

        @Override
        public StartupStep tag(String key, String value) {
            if (key.equals("beanName") || key.equals("classToParse") || key.equals("listener")) {
                subject = value;
            }
            return this;
        }

        @Override
        public StartupStep tag(String key, Supplier<String> value) {
            return tag(key, value.get());
        }

        @Override
        public Tags getTags() {
            return Collections::emptyIterator;
        }

        @Override
        public void end() {
            if (id < 0 || open.peek() != this) {
                return;
            }
            open.pop();
            long total = threads.getCurrentThreadCpuTime() - startNanos;
            if (parent != null) {
                parent.childrenNanos += total;
            }
            String key = subject.isEmpty() ? name : name + " " + subject;
            exclusiveNanos.merge(key, total - childrenNanos, Long::sum);
        }
    }
}
