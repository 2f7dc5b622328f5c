/**
 * The fault suite's application: leader-only work and probes that report to the checker's file.
 */
@NullMarked
package dev.leader.fault.app;

import org.jspecify.annotations.NullMarked;
