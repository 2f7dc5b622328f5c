/**
 * The etcd v3 backend, spoken to etcd's JSON gateway in HTTP/1.1 (no client library): calls and
 * the watch on kept-alive sockets written and read by the thread that makes the call
 * ({@link dev.leader.etcd.GatewayWire}), the keep-alive on the JDK's HTTP client, so that the
 * timer that sends it never waits for an answer. Each candidate holds a key
 * {@code <prefix><election>/<lease id>}, bound to the one lease of its backend ({@link dev.leader.etcd.SharedLease}); the key with the lowest
 * create revision leads, and that revision is the fencing token. Each election's steps run on a
 * {@link dev.leader.election.SerialLane}; one watch stream on the whole prefix
 * ({@link dev.leader.etcd.PrefixWatch}) tells each election of deletions under it.
 * Calls go to one member at a time: a call that finds it failing (a timeout, an UNAVAILABLE
 * answer in either of the gateway's error shapes, a watch gone silent) moves every later call
 * to the next member and ends the watches open on the failing one, so a follower never waits on
 * a member its keep-alives have left.
 */
@NullMarked
package dev.leader.etcd;

import org.jspecify.annotations.NullMarked;
