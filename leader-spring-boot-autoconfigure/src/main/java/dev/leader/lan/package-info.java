/**
 * The zero-configuration LAN backend: peers on one network segment find each other on an IP
 * multicast group and elect a leader among themselves with signed UDP heartbeats, with no
 * server. It is available rather than consistent: during a partition each side may elect a
 * leader unless a quorum (expected cluster size) is configured. The fencing token is the term
 * number, strictly increasing as far as any peer has seen: best effort.
 */
@NullMarked
package dev.leader.lan;

import org.jspecify.annotations.NullMarked;
