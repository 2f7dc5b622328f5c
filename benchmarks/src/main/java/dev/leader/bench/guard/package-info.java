/** The {@code @LeaderOnly} overhead benchmark and the Boot app it runs in. */
@NullMarked
package dev.leader.bench.guard;

import org.jspecify.annotations.NullMarked;
