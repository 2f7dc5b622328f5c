/** A minimal Boot app whose start-up is measured with and without the starter. */
@NullMarked
package dev.leader.bench.startup;

import org.jspecify.annotations.NullMarked;
