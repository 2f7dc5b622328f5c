/**
 * Benchmark harnesses: hand-off and failover across candidate JVMs, {@code @LeaderOnly} guard
 * overhead (JMH) and start-up cost. Run by {@code benchmarks/run.sh}, never by {@code verify}.
 */
@NullMarked
package dev.leader.bench;

import org.jspecify.annotations.NullMarked;
