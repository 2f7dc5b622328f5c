/** Actuator integration: the {@code leader} endpoint, the health contributor and metrics. */
@NullMarked
package dev.leader.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
