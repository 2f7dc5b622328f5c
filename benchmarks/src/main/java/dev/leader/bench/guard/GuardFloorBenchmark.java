package dev.leader.bench.guard;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What a leader's guarded call cannot do without, on this machine: the two promises it keeps
 * each cost an instruction the JIT cannot remove. Belief ends at a deadline on the monotonic
 * clock, so every call reads it ({@code System.nanoTime()}); a voluntary release waits for the
 * leader-only work it admitted, so every call is counted in and out (two atomic read-modify-writes
 * of one counter). {@link ZooKeeperLeaderOnlyBenchmark}'s leader pays these and little else over
 * the bare proxy.
 *
 * <p>{@code java -cp ... org.openjdk.jmh.Main GuardFloorBenchmark -f 1 -wi 5 -w 1 -i 5 -r 1}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GuardFloorBenchmark {

    private final AtomicInteger running = new AtomicInteger();

    private volatile long deadline = Long.MAX_VALUE;

    @Benchmark
    public boolean monotonicClockRead() {
        return deadline - System.nanoTime() > 0;
    }

    @Benchmark
    public int countedInAndOut() {
        running.incrementAndGet();
        return running.decrementAndGet();
    }

    @Benchmark
    public boolean both() {
        running.incrementAndGet();
        boolean valid = deadline - System.nanoTime() > 0;
        running.decrementAndGet();
        return valid;
    }
}
