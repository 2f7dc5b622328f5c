/**
 * The Redis backend (Lettuce): one lease key per election holding the leader's
 * {@link dev.leader.redis.LeaseOwner owner} (candidate id and incarnation) with a {@code PX}
 * expiry, acquired, renewed and released by Lua scripts that compare the owner and the term's
 * fencing epoch; followers wait on a pub/sub channel instead of polling.
 *
 * <p><b>Many elections.</b> A backend's elections share one command and one pub/sub connection
 * and a few threads. One {@link dev.leader.redis.LeaseRenewals renewal call} per interval renews
 * every lease the backend holds, one {@link dev.leader.redis.LeaseWatch read} per interval the
 * leases its followers wait on (without keyspace notifications), and the pub/sub link subscribes
 * two patterns under the key prefix, not two channels per election.
 *
 * <p><b>Fencing and persistence.</b> The epoch is raised in the same script that sets the
 * lease, so a term's token and its ownership are one atomic step. Redis acknowledges writes
 * before they are durable or replicated, so a restart or a failover can bring back an older
 * epoch and lose the lease of a leader that still believes. A token is therefore never below the
 * server's clock in microseconds, and an acquire on a server that cannot vouch for the election's
 * state (another Redis process granted or renewed last) grants nobody for one lease; see
 * {@link dev.leader.redis.RedisScripts}. With AOF and {@code appendfsync always} nothing is lost,
 * and only the first grant after a restart waits.
 */
@NullMarked
package dev.leader.redis;

import org.jspecify.annotations.NullMarked;
