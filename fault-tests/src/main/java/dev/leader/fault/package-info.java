/**
 * The fault suite: fault-app JVMs ({@code fault-tests/app}) against real backends, a seeded plan of faults (signals,
 * backend crashes, quorum loss, network cuts, clock jumps) and a checker that reads only what
 * the apps reported to a shared file.
 */
package dev.leader.fault;
