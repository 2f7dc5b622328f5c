/**
 * The election API every backend implements, and the machinery they share: the state machine,
 * the ordered event thread, lease deadlines on the monotonic clock and retry backoff. Nothing
 * here knows Spring.
 */
@NullMarked
package dev.leader.election;

import org.jspecify.annotations.NullMarked;
