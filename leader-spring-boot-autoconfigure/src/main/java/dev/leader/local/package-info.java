/**
 * The embedded default backend: one OS file lock per election in a directory on this host.
 * Several JVMs on the host elect one leader; a killed process's lock is released by the kernel
 * and a blocked waiter is woken at once.
 */
@NullMarked
package dev.leader.local;

import org.jspecify.annotations.NullMarked;
