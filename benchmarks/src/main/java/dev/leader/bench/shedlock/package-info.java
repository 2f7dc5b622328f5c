/** The anchor of the guard benchmark: ShedLock's {@code @SchedulerLock} on Redis. */
@NullMarked
package dev.leader.bench.shedlock;

import org.jspecify.annotations.NullMarked;
