/**
 * Leadership control for applications' tests: a real backend whose elections are decided by
 * the test ({@link dev.leader.test.AutoConfigureLeaderElection}, {@code leader.test.mode}) and
 * {@link dev.leader.test.LeadershipControl} to grant, revoke and yield on demand. Elections
 * run the same state machine as every other backend, so events, {@code isLeader()}, fencing
 * tokens and {@code @LeaderOnly} behave as in production.
 */
@NullMarked
package dev.leader.test;

import org.jspecify.annotations.NullMarked;
