/**
 * The Redis backend (Lettuce): one lease key per election holding the leader's candidate id
 * with a {@code PX} expiry, acquired, renewed and released by Lua scripts that compare the owner
 * and the term's fencing epoch; followers wait on a pub/sub channel instead of polling.
 *
 * <p><b>Fencing and persistence.</b> The epoch key is incremented in the same script that sets
 * the lease, so a term's token and its ownership are one atomic step. The epoch survives a
 * Redis restart only if Redis persists it: run Redis with AOF ({@code appendonly yes},
 * ideally {@code appendfsync always}). Without persistence the epoch key is gone after a
 * restart; the acquire script then seeds it from the server clock in microseconds, so tokens
 * still increase as long as the server's clock moved forward across the restart; a clock set
 * back, or a failover to a replica that had not yet received the last increment, can then
 * repeat a token.
 */
@NullMarked
package dev.leader.redis;

import org.jspecify.annotations.NullMarked;
